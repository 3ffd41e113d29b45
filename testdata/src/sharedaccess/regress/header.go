package regress

import "sync"

// A connection clears the slots of its send queue under the lock; a
// check of whether the queue exists at all reads only the field, which
// only the constructor sets.
type qconn struct {
	mu    sync.Mutex
	queue [][]byte // want queue:"guarded\\(mu\\)"
	sent  [][]byte // want sent:"guarded\\(mu\\)"
}

func newQconn(async bool) *qconn {
	c := &qconn{}
	if async {
		c.queue = make([][]byte, 8)
	}
	c.sent = make([][]byte, 8)
	return c
}

func (c *qconn) flush() {
	c.mu.Lock()
	for i := range c.queue {
		c.queue[i] = nil
	}
	c.mu.Unlock()
}

func (c *qconn) record(i int, b []byte) {
	c.mu.Lock()
	c.sent[i] = b
	c.mu.Unlock()
}

// GOOD: only the field, compared with nil.
func (c *qconn) isAsync() bool { return c.queue != nil }

// BAD: the slots themselves, which record writes under the lock.
func (c *qconn) lastSent() []byte {
	s := c.sent // want `unsynchronized read of c.sent: \(\*qconn\).lastSent reads it without c.mu, which \(\*qconn\).record writes holding it`
	return s[len(s)-1]
}

func runQconn() {
	c := newQconn(true)
	go c.flush()
	go c.record(0, nil)
	go c.isAsync()
	go c.lastSent()
}
