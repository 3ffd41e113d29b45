package overlock

import "sync"

// BadPool runs tasks in goroutines that store their results under mu.
// Close waits for the tasks while holding mu: a task that finishes
// after Close took the lock blocks on mu, Close blocks in Wait for
// that task, and both wait forever.
type BadPool struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []int
}

// Go runs task in a new goroutine.
func (p *BadPool) Go(task func() int) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		r := task()
		p.mu.Lock()
		p.results = append(p.results, r)
		p.mu.Unlock()
	}()
}

// Close waits for every task and returns their results.
func (p *BadPool) Close() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wg.Wait()
	return p.results
}

// GoodPool waits for the tasks first and takes mu only to read the
// results.
type GoodPool struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []int
}

// Go runs task in a new goroutine.
func (p *GoodPool) Go(task func() int) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		r := task()
		p.mu.Lock()
		p.results = append(p.results, r)
		p.mu.Unlock()
	}()
}

// Close waits for every task and returns their results.
func (p *GoodPool) Close() []int {
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.results
}
