//go:build !race

package probe

// Race reports whether this binary was built with the race detector.
const Race = false
