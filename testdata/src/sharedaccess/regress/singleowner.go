package regress

import "sync/atomic"

// Scratch is a byte buffer. It is NOT thread-safe: each user owns one.
// Len reads the offset atomically for debugging dumps only.
type Scratch struct {
	offset uint64
	buf    []byte
}

func (b *Scratch) Len() int { return int(atomic.LoadUint64(&b.offset)) }

func (b *Scratch) Write(p []byte) { // want Write:"accesses\\(w 0.buf; r 0.buf; r 0.buf\\[\\]; r 1\\[\\]\\)"
	b.buf = append(b.buf, p...)
	b.offset += uint64(len(p))
}

// Counter has the same shape with no such documentation: its plain
// write races with the atomic reads that suggest concurrent use.
type Counter struct {
	offset uint64
}

func (c *Counter) Len() int { return int(atomic.LoadUint64(&c.offset)) }

func (c *Counter) Add(n int) {
	c.offset += uint64(n) // want `unsynchronized write to c.offset`
}
