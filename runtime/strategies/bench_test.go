package strategies_test

import (
	"sync/atomic"
	"testing"

	"github.com/syncvet/syncvet/runtime/strategies"
)

// Run with -cpu 1,2,4,8,16: each sub-benchmark runs GOMAXPROCS
// goroutines (b.RunParallel) that share one counter or store; ns/op is
// wall time per operation, so perfect scaling halves it with each
// doubling of the cores.

func BenchmarkCounter(b *testing.B) {
	for _, s := range strategies.Counters() {
		b.Run(s.Name, func(b *testing.B) {
			c := s.New()
			defer c.Close()
			b.RunParallel(func(pb *testing.PB) {
				inc := c.Worker()
				for pb.Next() {
					inc()
				}
			})
			b.StopTimer()
			if got := c.Value(); got != int64(b.N) {
				b.Fatalf("Value = %d after %d increments", got, b.N)
			}
		})
	}
}

// keySpace is the number of distinct keys the store benchmarks use.
const keySpace = 1024

// seeds gives each benchmark goroutine its own random sequence.
var seeds atomic.Uint64

// rng is a xorshift64* generator, one per goroutine.
type rng uint64

func newRNG() rng { return rng(seeds.Add(0x9E3779B97F4A7C15) | 1) }

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return x * 0x2545F4914F6CDD1D
}

// benchStore runs the store workload in which writes out of every 10
// operations are Adds and the rest Gets, over keySpace random keys.
func benchStore(b *testing.B, writes uint64) {
	for _, s := range strategies.Stores() {
		b.Run(s.Name, func(b *testing.B) {
			st := s.New()
			defer st.Close()
			h := st.Handle()
			for k := range uint64(keySpace) {
				h.Add(k, 1)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				h := st.Handle()
				r := newRNG()
				for pb.Next() {
					x := r.next()
					key := x % keySpace
					if (x>>32)%10 < writes {
						h.Add(key, 1)
					} else {
						h.Get(key)
					}
				}
			})
		})
	}
}

// BenchmarkMap is a write-heavy shared map: every operation adds to a
// random key's count.
func BenchmarkMap(b *testing.B) { benchStore(b, 10) }

// BenchmarkCache is a read-mostly shared cache: 9 of 10 operations are
// lookups, 1 an update.
func BenchmarkCache(b *testing.B) { benchStore(b, 1) }
