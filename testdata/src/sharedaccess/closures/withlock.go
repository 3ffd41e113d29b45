package closures

import "sync"

// Locking through a helper that runs a closure under the mutex, from a
// method whose func literal captures the receiver.

type meter struct {
	mu    sync.Mutex
	count int
	max   int
}

func (m *meter) withLock(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f()
}

// observeBad updates max under the lock, count outside it.
func (m *meter) observeBad(v int) {
	m.withLock(func() {
		if v > m.max {
			m.max = v
		}
	})
	m.count++ // want `unsynchronized write to m\.count: goroutines running badMeter\.func1 may run at once and each writes m\.count`
}

func badMeter(vals []int) int {
	m := &meter{}
	var wg sync.WaitGroup
	for _, v := range vals {
		wg.Add(1)
		go func() { defer wg.Done(); m.observeBad(v) }()
	}
	wg.Wait()
	return m.count
}

// observeGood does all its updates inside the closure.
func (m *meter) observeGood(v int) {
	m.withLock(func() {
		if v > m.max {
			m.max = v
		}
		m.count++
	})
}

func goodMeter(vals []int) int {
	m := &meter{}
	var wg sync.WaitGroup
	for _, v := range vals {
		wg.Add(1)
		go func() { defer wg.Done(); m.observeGood(v) }()
	}
	wg.Wait()
	return m.count
}
