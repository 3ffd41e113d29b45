package guards

import "sync/atomic"

// HitCounters are bumped atomically inside the cache; a snapshot adds them
// into the caller's own CacheStats value, which embeds the same type. The
// caller's copy is another object: plain writes to it are not mixed
// with the atomic ones.
type HitCounters struct {
	Gets uint64
	Sets uint64
}

type CacheStats struct {
	HitCounters
	Entries int
}

type StatsCache struct {
	counters HitCounters
}

func (c *StatsCache) Get() { atomic.AddUint64(&c.counters.Gets, 1) }

func (c *StatsCache) Set() { atomic.AddUint64(&c.counters.Sets, 1) }

func (c *StatsCache) UpdateStats(s *CacheStats) { // want UpdateStats:`accesses\(w 1\.HitCounters\.Gets; r 1\.HitCounters\.Gets; w 1\.HitCounters\.Sets; r 1\.HitCounters\.Sets\)`
	s.Gets += atomic.LoadUint64(&c.counters.Gets)
	s.Sets += atomic.LoadUint64(&c.counters.Sets)
}
