package stale

import "sync"

// setSync leaves fs.mu held when the file system is not strict: every
// later lock after a call of it is the same bug, reported once.
type memFS struct {
	mu     sync.Mutex
	strict bool
	ignore bool
	files  map[string]int
}

func (fs *memFS) setSync(ignore bool) {
	fs.mu.Lock()
	if !fs.strict {
		return
	}
	fs.ignore = ignore
	fs.mu.Unlock()
}

func (fs *memFS) create(name string) {
	fs.mu.Lock()
	fs.files[name] = 0
	fs.mu.Unlock()
}

func useFS(fs *memFS) {
	fs.setSync(true)
	fs.create("a") // want `double lock: fs.mu locked by \(\*stale.memFS\).create while it may still be held: \(\*stale.memFS\).setSync returns without unlocking it on some paths \(and 2 more locks after calls of it\)`
	fs.create("b")
	fs.setSync(false)
}
