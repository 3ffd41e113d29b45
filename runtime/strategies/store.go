package strategies

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Store maps keys to counts and is shared by many goroutines. Each
// goroutine gets its own Handle and uses only that one.
type Store interface {
	Handle() Handle
	// Close releases the goroutines the store started.
	Close()
}

// Handle is one goroutine's access to a Store.
type Handle interface {
	Add(key uint64, delta int64)
	Get(key uint64) (int64, bool)
}

// Stores returns a constructor for every store strategy, by the name
// it has in benchmark output.
func Stores() []Named[Store] {
	return []Named[Store]{
		{"mutex", func() Store { return NewGoodStoreMutex() }},
		{"rwmutex", func() Store { return NewGoodStoreRWMutex() }},
		{"overlocked", func() Store { return NewBadStoreOverlocked() }},
		{"io-unlocked", func() Store { return NewGoodStoreIOUnlocked() }},
		{"shards", func() Store { return NewGoodStoreShards(0) }},
		{"owner", func() Store { return NewGoodStoreOwner() }},
		{"atomic", func() Store { return new(GoodStoreAtomic) }},
	}
}

// GoodStoreMutex guards one map with one mutex.
type GoodStoreMutex struct {
	mu sync.Mutex
	m  map[uint64]int64
}

// NewGoodStoreMutex returns an empty store.
func NewGoodStoreMutex() *GoodStoreMutex { return &GoodStoreMutex{m: make(map[uint64]int64)} }

// Handle returns the store itself: it needs no per-goroutine state.
func (s *GoodStoreMutex) Handle() Handle { return s }

// Add adds delta to the count of key.
func (s *GoodStoreMutex) Add(key uint64, delta int64) {
	s.mu.Lock()
	s.m[key] += delta
	s.mu.Unlock()
}

// Get returns the count of key.
func (s *GoodStoreMutex) Get(key uint64) (int64, bool) {
	s.mu.Lock()
	v, ok := s.m[key]
	s.mu.Unlock()
	return v, ok
}

// Close does nothing.
func (s *GoodStoreMutex) Close() {}

// GoodStoreRWMutex lets readers share the lock.
type GoodStoreRWMutex struct {
	mu sync.RWMutex
	m  map[uint64]int64
}

// NewGoodStoreRWMutex returns an empty store.
func NewGoodStoreRWMutex() *GoodStoreRWMutex {
	return &GoodStoreRWMutex{m: make(map[uint64]int64)}
}

// Handle returns the store itself.
func (s *GoodStoreRWMutex) Handle() Handle { return s }

// Add adds delta to the count of key.
func (s *GoodStoreRWMutex) Add(key uint64, delta int64) {
	s.mu.Lock()
	s.m[key] += delta
	s.mu.Unlock()
}

// Get returns the count of key.
func (s *GoodStoreRWMutex) Get(key uint64) (int64, bool) {
	s.mu.RLock()
	v, ok := s.m[key]
	s.mu.RUnlock()
	return v, ok
}

// Close does nothing.
func (s *GoodStoreRWMutex) Close() {}

// BadStoreOverlocked writes every update through to a device while
// holding the store's lock, so all I/O is serialised and readers wait
// for it too.
type BadStoreOverlocked struct {
	mu  sync.Mutex
	m   map[uint64]int64
	dev Device
}

// NewBadStoreOverlocked returns an empty store writing through to a
// device of IOLatency.
func NewBadStoreOverlocked() *BadStoreOverlocked {
	return &BadStoreOverlocked{m: make(map[uint64]int64), dev: Device{Latency: IOLatency}}
}

// Handle returns the store itself.
func (s *BadStoreOverlocked) Handle() Handle { return s }

// Add adds delta to the count of key and writes it through.
func (s *BadStoreOverlocked) Add(key uint64, delta int64) {
	s.mu.Lock()
	s.m[key] += delta
	s.dev.Do()
	s.mu.Unlock()
}

// Get returns the count of key.
func (s *BadStoreOverlocked) Get(key uint64) (int64, bool) {
	s.mu.Lock()
	v, ok := s.m[key]
	s.mu.Unlock()
	return v, ok
}

// Close does nothing.
func (s *BadStoreOverlocked) Close() {}

// GoodStoreIOUnlocked does the write-through before taking the lock.
type GoodStoreIOUnlocked struct {
	mu  sync.Mutex
	m   map[uint64]int64
	dev Device
}

// NewGoodStoreIOUnlocked returns an empty store writing through to a
// device of IOLatency.
func NewGoodStoreIOUnlocked() *GoodStoreIOUnlocked {
	return &GoodStoreIOUnlocked{m: make(map[uint64]int64), dev: Device{Latency: IOLatency}}
}

// Handle returns the store itself.
func (s *GoodStoreIOUnlocked) Handle() Handle { return s }

// Add writes the update through, then applies it under the lock.
func (s *GoodStoreIOUnlocked) Add(key uint64, delta int64) {
	s.dev.Do()
	s.mu.Lock()
	s.m[key] += delta
	s.mu.Unlock()
}

// Get returns the count of key.
func (s *GoodStoreIOUnlocked) Get(key uint64) (int64, bool) {
	s.mu.Lock()
	v, ok := s.m[key]
	s.mu.Unlock()
	return v, ok
}

// Close does nothing.
func (s *GoodStoreIOUnlocked) Close() {}

// storeShard is one partition of a GoodStoreShards, padded so that the
// locks of neighbouring shards do not share a cache line.
type storeShard struct {
	mu sync.Mutex
	m  map[uint64]int64
	_  [cacheLine - 16]byte
}

// GoodStoreShards partitions the keys over independent shards by hash,
// so goroutines working on different keys rarely meet on a lock.
type GoodStoreShards struct {
	shards []storeShard
}

// NewGoodStoreShards returns a store of n shards, rounded up to a power
// of two; n <= 0 means four per core.
func NewGoodStoreShards(n int) *GoodStoreShards {
	if n <= 0 {
		n = 4 * runtime.NumCPU()
	}
	size := 1
	for size < n {
		size *= 2
	}
	s := &GoodStoreShards{shards: make([]storeShard, size)}
	for i := range s.shards {
		s.shards[i].m = make(map[uint64]int64)
	}
	return s
}

func (s *GoodStoreShards) shard(key uint64) *storeShard {
	key *= 0x9E3779B97F4A7C15 // spread neighbouring keys over shards
	return &s.shards[key>>32&uint64(len(s.shards)-1)]
}

// Handle returns the store itself.
func (s *GoodStoreShards) Handle() Handle { return s }

// Add adds delta to the count of key.
func (s *GoodStoreShards) Add(key uint64, delta int64) {
	sh := s.shard(key)
	sh.mu.Lock()
	sh.m[key] += delta
	sh.mu.Unlock()
}

// Get returns the count of key.
func (s *GoodStoreShards) Get(key uint64) (int64, bool) {
	sh := s.shard(key)
	sh.mu.Lock()
	v, ok := sh.m[key]
	sh.mu.Unlock()
	return v, ok
}

// Close does nothing.
func (s *GoodStoreShards) Close() {}

// ownerReq is one request to a GoodStoreOwner's goroutine: an Add when
// reply is nil, else a Get answered on reply.
type ownerReq struct {
	key   uint64
	delta int64
	reply chan ownerResp
}

type ownerResp struct {
	v  int64
	ok bool
}

// GoodStoreOwner gives the map to one owner goroutine; handles send it
// requests over a channel. Adds are fire-and-forget; a Get waits for
// its reply on the handle's own channel.
type GoodStoreOwner struct {
	reqs chan ownerReq
}

// NewGoodStoreOwner starts the owner goroutine; Close stops it.
func NewGoodStoreOwner() *GoodStoreOwner {
	s := &GoodStoreOwner{reqs: make(chan ownerReq, 128)}
	go s.own()
	return s
}

func (s *GoodStoreOwner) own() {
	m := make(map[uint64]int64)
	for r := range s.reqs {
		if r.reply == nil {
			m[r.key] += r.delta
			continue
		}
		v, ok := m[r.key]
		r.reply <- ownerResp{v, ok}
	}
}

// Handle returns a handle with its own reply channel.
func (s *GoodStoreOwner) Handle() Handle {
	return &ownerHandle{reqs: s.reqs, reply: make(chan ownerResp, 1)}
}

// Close stops the owner goroutine once the queued requests are served.
func (s *GoodStoreOwner) Close() { close(s.reqs) }

type ownerHandle struct {
	reqs  chan<- ownerReq
	reply chan ownerResp
}

// Add sends an update to the owner.
func (h *ownerHandle) Add(key uint64, delta int64) {
	h.reqs <- ownerReq{key: key, delta: delta}
}

// Get asks the owner for the count of key. Requests from one handle
// are served in order, so a Get sees the handle's earlier Adds.
func (h *ownerHandle) Get(key uint64) (int64, bool) {
	h.reqs <- ownerReq{key: key, reply: h.reply}
	r := <-h.reply
	return r.v, r.ok
}

// GoodStoreAtomic keeps one atomic counter per key in a sync.Map: the
// map is written once per key and read without locks afterwards.
type GoodStoreAtomic struct {
	m sync.Map // uint64 -> *atomic.Int64
}

// Handle returns the store itself.
func (s *GoodStoreAtomic) Handle() Handle { return s }

// Add adds delta to the count of key.
func (s *GoodStoreAtomic) Add(key uint64, delta int64) {
	v, ok := s.m.Load(key)
	if !ok {
		v, _ = s.m.LoadOrStore(key, new(atomic.Int64))
	}
	v.(*atomic.Int64).Add(delta)
}

// Get returns the count of key.
func (s *GoodStoreAtomic) Get(key uint64) (int64, bool) {
	v, ok := s.m.Load(key)
	if !ok {
		return 0, false
	}
	return v.(*atomic.Int64).Load(), true
}

// Close does nothing.
func (s *GoodStoreAtomic) Close() {}
