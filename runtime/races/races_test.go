package races_test

import (
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/syncvet/syncvet/runtime/internal/probe"
	"github.com/syncvet/syncvet/runtime/races"
)

const (
	workers = 4
	perG    = 1000
)

// The TestRunBad* tests run only in a child process (probe.ChildOnly);
// TestRace* starts that child under the race detector and expects a
// report at the lines marked "// race: Bad...".

func TestRunBadCounter(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("count = %d, want %d", races.BadCounter(workers, perG), workers*perG)
}

func TestRaceBadCounter(t *testing.T) { probe.ExpectRace(t, "TestRunBadCounter", "BadCounter") }

func TestGoodCounter(t *testing.T) {
	for name, count := range map[string]func(int, int) int{
		"GoodCounterMutex":  races.GoodCounterMutex,
		"GoodCounterAtomic": races.GoodCounterAtomic,
		"GoodCounterShards": races.GoodCounterShards,
		"GoodCounterOwner":  races.GoodCounterOwner,
	} {
		if got := count(workers, perG); got != workers*perG {
			t.Errorf("%s = %d, want %d", name, got, workers*perG)
		}
	}
}

func TestRunBadGlobal(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("served = %d", races.BadGlobal(50))
}

func TestRaceBadGlobal(t *testing.T) { probe.ExpectRace(t, "TestRunBadGlobal", "BadGlobal") }

func TestGoodGlobal(t *testing.T) {
	if got := races.GoodGlobalMutex(50); got != 50 {
		t.Errorf("GoodGlobalMutex = %d, want 50", got)
	}
	if got := races.GoodGlobalAtomic(50); got != 50 {
		t.Errorf("GoodGlobalAtomic = %d, want 50", got)
	}
}

func jobs(n int, failing int) []func() error {
	var js []func() error
	for i := range n {
		js = append(js, func() error {
			if i == failing {
				return fmt.Errorf("job %d failed", i)
			}
			return nil
		})
	}
	return js
}

func TestRunBadFirstError(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("err = %v", races.BadFirstError(jobs(20, 3)))
}

func TestRaceBadFirstError(t *testing.T) {
	probe.ExpectRace(t, "TestRunBadFirstError", "BadFirstError")
}

func TestGoodErrors(t *testing.T) {
	for name, run := range map[string]func([]func() error) error{
		"GoodErrorsSlice":   races.GoodErrorsSlice,
		"GoodErrorsMutex":   races.GoodErrorsMutex,
		"GoodErrorsChannel": races.GoodErrorsChannel,
	} {
		err := run(jobs(20, 3))
		if err == nil || err.Error() != "job 3 failed" {
			t.Errorf("%s = %v, want job 3 failed", name, err)
		}
		if err := run(jobs(20, -1)); err != nil {
			t.Errorf("%s with no failure = %v", name, err)
		}
	}
}

var lines = []string{"a b c", "b c d", "c d e", "d e a"}

func TestRunBadWordCount(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("counts = %v", races.BadWordCount(lines))
}

func TestRaceBadWordCount(t *testing.T) {
	probe.ExpectRace(t, "TestRunBadWordCount", "BadWordCount")
}

func TestGoodWordCount(t *testing.T) {
	want := map[string]int{"a": 2, "b": 2, "c": 3, "d": 3, "e": 2}
	for name, count := range map[string]func([]string) map[string]int{
		"GoodWordCountMutex":  races.GoodWordCountMutex,
		"GoodWordCountShards": races.GoodWordCountShards,
		"GoodWordCountOwner":  races.GoodWordCountOwner,
	} {
		if got := count(lines); !maps.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestRunBadCollect(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("len = %d", len(races.BadCollect(make([]int, 100))))
}

func TestRaceBadCollect(t *testing.T) { probe.ExpectRace(t, "TestRunBadCollect", "BadCollect") }

func TestGoodCollect(t *testing.T) {
	in := []int{1, 2, 3, 4, 5, 6, 7, 8}
	sum := func(s []int) (n int) {
		for _, v := range s {
			n += v
		}
		return n
	}
	for name, collect := range map[string]func([]int) []int{
		"GoodCollectMutex":   races.GoodCollectMutex,
		"GoodCollectIndexed": races.GoodCollectIndexed,
		"GoodCollectChannel": races.GoodCollectChannel,
	} {
		if got := collect(in); len(got) != len(in) || sum(got) != 204 {
			t.Errorf("%s = %v, want the squares of %v", name, got, in)
		}
	}
}

// stats is the method set shared by the Stats variants.
type stats interface {
	Record()
	Events() int
}

// exercise records events from writers goroutines while a reader polls
// the count, and returns the final count.
func exercise(s stats, writers, n int) int {
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				s.Record()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range n {
			_ = s.Events()
		}
	}()
	wg.Wait()
	return s.Events()
}

func TestRunBadStats(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("events = %d", exercise(new(races.BadStats), 2, 200))
}

func TestRaceBadStats(t *testing.T) { probe.ExpectRace(t, "TestRunBadStats", "BadStats") }

func TestGoodStats(t *testing.T) {
	for name, s := range map[string]stats{
		"GoodStatsMutex":  new(races.GoodStatsMutex),
		"GoodStatsAtomic": new(races.GoodStatsAtomic),
	} {
		if got := exercise(s, 2, 200); got != 400 {
			t.Errorf("%s: %d events, want 400", name, got)
		}
	}
}

// cache is the method set shared by the cache variants.
type cache interface {
	Get(string) (string, bool)
	Put(string, string)
	Hits() int
}

// readers looks key up from several goroutines and returns the hits.
func readers(c cache, workers, n int) int {
	c.Put("k", "v")
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				c.Get("k")
			}
		}()
	}
	wg.Wait()
	return c.Hits()
}

func TestRunBadCache(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("hits = %d", readers(races.NewBadCache(), workers, 200))
}

func TestRaceBadCache(t *testing.T) { probe.ExpectRace(t, "TestRunBadCache", "BadCache") }

func TestGoodCache(t *testing.T) {
	for name, c := range map[string]cache{
		"GoodCacheAtomicHits": races.NewGoodCacheAtomicHits(),
		"GoodCacheMutex":      races.NewGoodCacheMutex(),
	} {
		if got := readers(c, workers, 200); got != workers*200 {
			t.Errorf("%s: %d hits, want %d", name, got, workers*200)
		}
	}
}

func TestRunBadFetcher(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("session ids = %v", new(races.BadFetcher).FetchAll(make([]string, 8)))
}

func TestRaceBadFetcher(t *testing.T) { probe.ExpectRace(t, "TestRunBadFetcher", "BadFetcher") }

func TestGoodFetcherOnce(t *testing.T) {
	ids := new(races.GoodFetcherOnce).FetchAll(make([]string, 8))
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("fetches used sessions %v; want one session", ids)
		}
	}
}

func producers(n int) []func() string {
	var ps []func() string
	for i := range n {
		ps = append(ps, func() string { return fmt.Sprint(i) })
	}
	return ps
}

func TestRunBadBatch(t *testing.T) {
	probe.ChildOnly(t)
	t.Logf("%d items", len(new(races.BadBatch[string]).Collect(producers(50))))
}

func TestRaceBadBatch(t *testing.T) { probe.ExpectRace(t, "TestRunBadBatch", "BadBatch") }

func TestGoodBatchMutex(t *testing.T) {
	if got := new(races.GoodBatchMutex[string]).Collect(producers(50)); len(got) != 50 {
		t.Errorf("%d items, want 50", len(got))
	}
}
