package regress

import (
	"sync"
	"time"
)

type shard struct{ id int }

func newShard(id int) *shard { return &shard{id: id} }

// Shards builds one shard per id on its own goroutine and collects them
// under the lock: the builders only compute, so the receives wait for
// nothing the lock could hold up.
type Shards struct {
	mu  sync.Mutex
	all map[int]*shard
}

func (s *Shards) Rebuild(ids []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(chan *shard)
	for _, id := range ids {
		go func(id int) {
			out <- newShard(id)
		}(id)
	}
	for range ids {
		sh := <-out
		s.all[sh.id] = sh
	}
}

// The builders take the lock the collector holds: they never get to
// send.
func (s *Shards) RebuildLocked(ids []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(chan *shard)
	for _, id := range ids {
		go func(id int) {
			s.mu.Lock()
			n := len(s.all)
			s.mu.Unlock()
			out <- newShard(id + n)
		}(id)
	}
	for range ids {
		sh := <-out // want `s\.mu held across blocking receive from out`
		s.all[sh.id] = sh
	}
}

// The builders sleep before they send: the lock is held across the
// wait.
func (s *Shards) RebuildSlow(ids []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(chan *shard)
	for _, id := range ids {
		go build(id, out)
	}
	for range ids {
		sh := <-out // want `s\.mu held across blocking receive from out`
		s.all[sh.id] = sh
	}
}

func build(id int, out chan<- *shard) {
	time.Sleep(time.Millisecond)
	out <- newShard(id)
}
