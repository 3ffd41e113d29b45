package strategies_test

import (
	"sync"
	"testing"

	"github.com/syncvet/syncvet/runtime/strategies"
)

func TestCounters(t *testing.T) {
	const workers, n = 4, 100
	for _, s := range strategies.Counters() {
		t.Run(s.Name, func(t *testing.T) {
			c := s.New()
			defer c.Close()
			var wg sync.WaitGroup
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					inc := c.Worker()
					for range n {
						inc()
					}
				}()
			}
			wg.Wait()
			if got := c.Value(); got != workers*n {
				t.Errorf("Value = %d, want %d", got, workers*n)
			}
		})
	}
}

func TestStores(t *testing.T) {
	const workers, keys, rounds = 4, 16, 5
	for _, s := range strategies.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			st := s.New()
			defer st.Close()
			var wg sync.WaitGroup
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					h := st.Handle()
					for r := range rounds {
						for k := range uint64(keys) {
							h.Add(k, 1)
							if v, ok := h.Get(k); !ok || v < int64(r+1) {
								t.Errorf("worker %d: Get(%d) = %d, %v after %d adds", w, k, v, ok, r+1)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			h := st.Handle()
			for k := range uint64(keys) {
				if v, ok := h.Get(k); !ok || v != workers*rounds {
					t.Errorf("Get(%d) = %d, %v; want %d", k, v, ok, workers*rounds)
				}
			}
			if _, ok := h.Get(keys + 1); ok {
				t.Errorf("Get of a missing key reported ok")
			}
		})
	}
}
