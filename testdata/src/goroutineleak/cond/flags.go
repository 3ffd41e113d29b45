package cond

import "sync"

// Jobs wakes its waiters when a job arrives, but Close sets closed
// without waking them: a Next waiting on an empty queue sleeps on.
type Jobs struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []int
	closed bool
}

func NewJobs() *Jobs {
	j := &Jobs{}
	j.cond = sync.NewCond(&j.mu)
	return j
}

func (j *Jobs) Add(v int) {
	j.mu.Lock()
	j.items = append(j.items, v)
	j.mu.Unlock()
	j.cond.Signal()
}

func (j *Jobs) Next() (int, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for len(j.items) == 0 && !j.closed {
		j.cond.Wait()
	}
	if len(j.items) == 0 {
		return 0, false
	}
	v := j.items[0]
	j.items = j.items[1:]
	return v, true
}

func (j *Jobs) Close() {
	j.mu.Lock()
	j.closed = true // want `goroutine leak: \(\*Jobs\)\.Close sets closed without a cond\.Broadcast or cond\.Signal: goroutines waiting on cond for it sleep on`
	j.mu.Unlock()
}

// Tasks broadcasts on Close, through a helper.
type Tasks struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []int
	closed bool
}

func NewTasks() *Tasks {
	t := &Tasks{}
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *Tasks) Add(v int) {
	t.mu.Lock()
	t.items = append(t.items, v)
	t.mu.Unlock()
	t.cond.Signal()
}

func (t *Tasks) Next() (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.items) == 0 && !t.closed {
		t.cond.Wait()
	}
	if len(t.items) == 0 {
		return 0, false
	}
	v := t.items[0]
	t.items = t.items[1:]
	return v, true
}

func (t *Tasks) Close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.wakeAll()
}

func (t *Tasks) wakeAll() { t.cond.Broadcast() }

// Conn marks itself closed when it has gone idle (nothing can be waiting
// for its streams then), and its own shutdown waiter sets the flag for
// itself: neither needs to wake anyone.
type Conn struct {
	mu      sync.Mutex
	cond    *sync.Cond
	streams int
	closed  bool
}

func NewConn() *Conn {
	c := &Conn{}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *Conn) Done() {
	c.mu.Lock()
	c.streams--
	c.mu.Unlock()
	c.cond.Broadcast()
}

func (c *Conn) closeIfIdle() {
	c.mu.Lock()
	if c.streams == 0 {
		c.closed = true
	}
	c.mu.Unlock()
}

func (c *Conn) Drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if c.streams == 0 || c.closed {
			c.closed = true
			return
		}
		c.cond.Wait()
	}
}
