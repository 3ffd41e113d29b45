// Package tb is a builder with no locks, used by one goroutine at a time.
package tb

type Builder struct {
	keys []int
	size int
}

func New() *Builder { return &Builder{} }

func (b *Builder) Add(k int) { // want Add:`accesses\(w 0\.keys; r 0\.keys; r 0\.keys\[\]; w 0\.size; r 0\.size\)`
	b.keys = append(b.keys, k)
	b.size++
}

func (b *Builder) Finish() int { // want Finish:`accesses\(r 0\.keys; w 0\.size\)`
	b.size = 0
	return len(b.keys)
}

func (b *Builder) Empty() bool { // want Empty:`accesses\(r 0\.keys\)`
	return len(b.keys) == 0
}
