package strategies

import (
	"sync"
	"sync/atomic"
)

// Counter is a counter shared by many goroutines. Each goroutine gets
// its own increment function from Worker and calls only that one.
type Counter interface {
	// Worker returns the increment function for one goroutine.
	Worker() func()
	// Value returns the count; it is exact once every worker has
	// stopped incrementing (and, for sharded counters, only then
	// allowed: shards are summed without a lock).
	Value() int64
	// Close releases the goroutines the counter started.
	Close()
}

// Counters returns a constructor for every counter strategy, by the
// name it has in benchmark output.
func Counters() []Named[Counter] {
	return []Named[Counter]{
		{"mutex", func() Counter { return new(GoodCounterMutex) }},
		{"rwmutex", func() Counter { return new(GoodCounterRWMutex) }},
		{"overlocked", func() Counter { return NewBadCounterOverlocked() }},
		{"io-unlocked", func() Counter { return NewGoodCounterIOUnlocked() }},
		{"shards", func() Counter { return new(GoodCounterShards) }},
		{"owner", func() Counter { return NewGoodCounterOwner() }},
		{"atomic", func() Counter { return new(GoodCounterAtomic) }},
	}
}

// Named pairs a constructor of a strategy with its name in benchmark
// output.
type Named[T any] struct {
	Name string
	New  func() T
}

// GoodCounterMutex serialises every increment on one mutex.
type GoodCounterMutex struct {
	mu sync.Mutex
	n  int64
}

func (c *GoodCounterMutex) inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Worker returns the increment function for one goroutine.
func (c *GoodCounterMutex) Worker() func() { return c.inc }

// Value returns the count.
func (c *GoodCounterMutex) Value() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Close does nothing.
func (c *GoodCounterMutex) Close() {}

// GoodCounterRWMutex takes the write lock to increment and the read
// lock to read. Increments are all writes, so it serialises them like a
// Mutex, at a slightly higher cost.
type GoodCounterRWMutex struct {
	mu sync.RWMutex
	n  int64
}

func (c *GoodCounterRWMutex) inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Worker returns the increment function for one goroutine.
func (c *GoodCounterRWMutex) Worker() func() { return c.inc }

// Value returns the count.
func (c *GoodCounterRWMutex) Value() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}

// Close does nothing.
func (c *GoodCounterRWMutex) Close() {}

// BadCounterOverlocked writes each increment through to its worker's
// device while holding the lock: the I/O of all workers is serialised
// behind one mutex.
type BadCounterOverlocked struct {
	mu  sync.Mutex
	n   int64
	dev Device
}

// NewBadCounterOverlocked returns a counter writing through to a
// device of IOLatency.
func NewBadCounterOverlocked() *BadCounterOverlocked {
	return &BadCounterOverlocked{dev: Device{Latency: IOLatency}}
}

func (c *BadCounterOverlocked) inc() {
	c.mu.Lock()
	c.n++
	c.dev.Do()
	c.mu.Unlock()
}

// Worker returns the increment function for one goroutine.
func (c *BadCounterOverlocked) Worker() func() { return c.inc }

// Value returns the count.
func (c *BadCounterOverlocked) Value() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Close does nothing.
func (c *BadCounterOverlocked) Close() {}

// GoodCounterIOUnlocked does the same I/O as BadCounterOverlocked but
// before taking the lock, which then covers only the increment.
type GoodCounterIOUnlocked struct {
	mu  sync.Mutex
	n   int64
	dev Device
}

// NewGoodCounterIOUnlocked returns a counter writing through to a
// device of IOLatency.
func NewGoodCounterIOUnlocked() *GoodCounterIOUnlocked {
	return &GoodCounterIOUnlocked{dev: Device{Latency: IOLatency}}
}

func (c *GoodCounterIOUnlocked) inc() {
	c.dev.Do()
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Worker returns the increment function for one goroutine.
func (c *GoodCounterIOUnlocked) Worker() func() { return c.inc }

// Value returns the count.
func (c *GoodCounterIOUnlocked) Value() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Close does nothing.
func (c *GoodCounterIOUnlocked) Close() {}

// cacheLine is the size the shards are padded to, so that two shards
// never share a cache line (false sharing would make the cores fight
// over the line as if they shared the counter).
const cacheLine = 64

// shard is one worker's part of a GoodCounterShards.
type shard struct {
	n int64
	_ [cacheLine - 8]byte
}

// GoodCounterShards partitions the count: every worker increments its
// own padded shard with plain, unsynchronised writes, and Value sums
// the shards after the workers stopped.
type GoodCounterShards struct {
	mu     sync.Mutex // guards shards, not their contents
	shards []*shard
}

// Worker returns the increment function for one goroutine.
func (c *GoodCounterShards) Worker() func() {
	s := new(shard)
	c.mu.Lock()
	c.shards = append(c.shards, s)
	c.mu.Unlock()
	return func() { s.n++ }
}

// Value returns the sum of the shards. Call it only after the workers
// stopped.
func (c *GoodCounterShards) Value() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var total int64
	for _, s := range c.shards {
		total += s.n
	}
	return total
}

// Close does nothing.
func (c *GoodCounterShards) Close() {}

// GoodCounterOwner gives the count to one owner goroutine. Workers send
// increments over a buffered channel; Value asks the owner.
type GoodCounterOwner struct {
	incs  chan int64
	reads chan chan int64
	quit  chan struct{}
}

// NewGoodCounterOwner starts the owner goroutine; Close stops it.
func NewGoodCounterOwner() *GoodCounterOwner {
	c := &GoodCounterOwner{
		incs:  make(chan int64, 128),
		reads: make(chan chan int64),
		quit:  make(chan struct{}),
	}
	go c.own()
	return c
}

func (c *GoodCounterOwner) own() {
	var n int64
	for {
		select {
		case d := <-c.incs:
			n += d
		case reply := <-c.reads:
			// Drain the increments already sent before answering.
			for len(c.incs) > 0 {
				n += <-c.incs
			}
			reply <- n
		case <-c.quit:
			return
		}
	}
}

// Worker returns the increment function for one goroutine.
func (c *GoodCounterOwner) Worker() func() {
	return func() { c.incs <- 1 }
}

// Value returns the count, including every increment sent before.
func (c *GoodCounterOwner) Value() int64 {
	reply := make(chan int64)
	c.reads <- reply
	return <-reply
}

// Close stops the owner goroutine.
func (c *GoodCounterOwner) Close() { close(c.quit) }

// GoodCounterAtomic increments with one atomic add.
type GoodCounterAtomic struct {
	n atomic.Int64
}

// Worker returns the increment function for one goroutine.
func (c *GoodCounterAtomic) Worker() func() { return func() { c.n.Add(1) } }

// Value returns the count.
func (c *GoodCounterAtomic) Value() int64 { return c.n.Load() }

// Close does nothing.
func (c *GoodCounterAtomic) Close() {}
