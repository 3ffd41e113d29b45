package regress

import "sync"

// A command's result is awaited once; done is only ever closed, so a
// second await on the same command cannot block.
type command struct {
	done chan struct{}
	val  int
	err  error
}

func (c *command) await()         { <-c.done }
func (c *command) Err() error     { c.await(); return c.err }
func (c *command) Val() int       { c.await(); return c.val }
func (c *command) finish(v int)   { c.val = v; close(c.done) }
func newCommand() *command        { return &command{done: make(chan struct{})} }
func (c *command) String() string { return "command" }

type client struct {
	mu   sync.Mutex
	last int
}

// goodAwaitedFirst reads the value under the lock after Err awaited it.
func (cl *client) goodAwaitedFirst(c *command) {
	if c.Err() != nil {
		return
	}
	cl.mu.Lock()
	cl.last = c.Val()
	cl.mu.Unlock()
}

// badFirstAwait waits for the command under the lock.
func (cl *client) badFirstAwait(c *command) {
	cl.mu.Lock()
	cl.last = c.Val() // want `cl.mu held across blocking receive from c.done \(via \(\*command\).Val → \(\*command\).await\)`
	cl.mu.Unlock()
}

// A queue is sent on: each receive takes a new value and may wait.
type queue struct {
	items chan int
}

func (q *queue) next() int    { return <-q.items }
func (q *queue) put(v int)    { q.items <- v }
func (q *queue) peekTwo() int { return q.next() + q.next() }

func (cl *client) badSecondTake(q *queue) {
	first := q.next()
	cl.mu.Lock()
	cl.last = first + q.next() // want `cl.mu held across blocking receive from q.items`
	cl.mu.Unlock()
}
