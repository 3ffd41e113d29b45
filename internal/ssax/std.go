package ssax

import "strings"

// stdRoots are the first path elements of the standard library's
// packages (experimental ones such as arena and simd included).
var stdRoots = map[string]bool{}

func init() {
	for _, r := range strings.Fields(`archive arena bufio builtin bytes cmd cmp compress container
		context crypto database debug embed encoding errors expvar flag fmt go hash html image
		index internal io iter log maps math mime net os path plugin reflect regexp runtime simd
		slices sort strconv strings structs sync syscall testing text time unicode unique unsafe
		vendor weak`) {
		stdRoots[r] = true
	}
}

// IsStd reports whether path is the import path of a standard-library
// package: its first element is one of the standard library's roots.
func IsStd(path string) bool {
	root, _, _ := strings.Cut(path, "/")
	return stdRoots[root]
}
