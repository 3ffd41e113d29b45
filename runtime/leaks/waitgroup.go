package leaks

import "sync"

// Warm loads the entry stored under key into a cache.
type Warm func(key string) error

// BadWarmer loads a set of keys into a cache in the background and
// closes Ready when it is done. Each key is loaded on its own
// goroutine; a worker whose load fails returns before it calls
// wg.Done, so the counter never reaches zero: wg.Wait blocks for ever,
// Ready is never closed, and whoever waits for it hangs too.
type BadWarmer struct {
	warm  Warm
	ready chan struct{}
}

// NewBadWarmer returns a warmer that loads keys with warm.
func NewBadWarmer(warm Warm) *BadWarmer {
	return &BadWarmer{warm: warm, ready: make(chan struct{})}
}

// Start starts loading keys and returns at once.
func (w *BadWarmer) Start(keys []string) { go w.warmAll(keys) }

// Ready is closed once every key has been loaded or has failed.
func (w *BadWarmer) Ready() <-chan struct{} { return w.ready }

func (w *BadWarmer) warmAll(keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		wg.Add(1)
		go func() {
			if err := w.warm(key); err != nil {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
	close(w.ready)
}

// GoodWarmer is BadWarmer whose workers defer wg.Done at their top, so
// that every return counts down, failed loads included; it also counts
// the failures.
type GoodWarmer struct {
	warm   Warm
	ready  chan struct{}
	mu     sync.Mutex
	failed int
}

// NewGoodWarmer returns a warmer that loads keys with warm.
func NewGoodWarmer(warm Warm) *GoodWarmer {
	return &GoodWarmer{warm: warm, ready: make(chan struct{})}
}

// Start starts loading keys and returns at once.
func (w *GoodWarmer) Start(keys []string) { go w.warmAll(keys) }

// Ready is closed once every key has been loaded or has failed.
func (w *GoodWarmer) Ready() <-chan struct{} { return w.ready }

// Failed returns the number of keys whose load failed so far.
func (w *GoodWarmer) Failed() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failed
}

func (w *GoodWarmer) warmAll(keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.warm(key); err != nil {
				w.mu.Lock()
				w.failed++
				w.mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(w.ready)
}
