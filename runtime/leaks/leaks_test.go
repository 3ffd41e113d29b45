package leaks_test

import (
	"context"
	"errors"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncvet/syncvet/runtime/internal/probe"
	"github.com/syncvet/syncvet/runtime/leaks"
)

// leakProfile returns Go's goroutineleak profile, and skips t when this
// test binary was built without it.
func leakProfile(t *testing.T) *pprof.Profile {
	t.Helper()
	p := pprof.Lookup("goroutineleak")
	if p == nil {
		t.Skip("the goroutineleak profile needs Go 1.26 built with the experiment: " +
			"run GOEXPERIMENT=goroutineleakprofile go test ./leaks/")
	}
	return p
}

// leaked writes the goroutineleak profile, which first runs a garbage
// collection that detects leaked goroutines, and returns the total it
// reports and the text of each of its stacks that has a frame of one
// of funcs (function names as the profile prints them after the module
// path: "leaks.BadFetch" also matches its closures "leaks.BadFetch.func1").
func leaked(t *testing.T, p *pprof.Profile, funcs []string) (total string, stacks []string) {
	t.Helper()
	var b strings.Builder
	if err := p.WriteTo(&b, 1); err != nil {
		t.Fatal(err)
	}
	// debug=1 text: a header line "goroutineleak profile: total N", then
	// one record per distinct stack, records separated by a blank line:
	// "COUNT @ PC PC ..." and one "#\tPC\tFUNC+OFF\tFILE:LINE" per frame.
	header, body, _ := strings.Cut(b.String(), "\n")
	total, ok := strings.CutPrefix(header, "goroutineleak profile: total ")
	if !ok {
		t.Fatalf("goroutineleak profile without its header:\n%s", b.String())
	}
	records := strings.Split(body, "\n\n")
	for _, rec := range records {
		if hasFrame(rec, funcs) {
			stacks = append(stacks, rec)
		}
	}
	return total, stacks
}

// hasFrame reports whether a profile record has a frame of one of funcs.
func hasFrame(rec string, funcs []string) bool {
	for _, line := range strings.Split(rec, "\n") {
		fields := strings.Split(line, "\t")
		if len(fields) < 3 || fields[0] != "#" {
			continue
		}
		sym, _, _ := strings.Cut(fields[2], "+")
		sym = sym[strings.LastIndex(sym, "/")+1:]
		for _, fn := range funcs {
			if sym == fn || strings.HasPrefix(sym, fn+".func") {
				return true
			}
		}
	}
	return false
}

// expectLeak runs bad, which returns and leaves a goroutine behind that
// nothing can reach, and requires Go's leak detector to report a leaked
// goroutine with a frame of one of funcs. The references that bad held
// die with its frame; the detector collects garbage itself, after the
// runtime.GC here. A goroutine that has not yet parked is not leaked
// yet, so the profile is read again until one is, for up to
// probe.Limit. The leaked goroutine stays blocked until the test binary
// exits.
func expectLeak(t *testing.T, funcs []string, bad func()) {
	t.Helper()
	p := leakProfile(t)
	bad()
	deadline := time.Now().Add(probe.Limit)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		runtime.GC()
		total, stacks := leaked(t, p, funcs)
		if len(stacks) > 0 {
			t.Logf("goroutineleak profile: total %s; in %s:\n%s", total, strings.Join(funcs, ", "), strings.Join(stacks, "\n\n"))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no leaked goroutine in %s within %v (goroutineleak profile: total %s)", strings.Join(funcs, ", "), probe.Limit, total)
		}
		time.Sleep(wait)
	}
}

// expectNoLeak runs good, waits until every goroutine it started with a
// frame of one of funcs has ended (failing after probe.Limit: such a
// goroutine is still blocked), and then requires the leak detector to
// report no leaked goroutine in funcs.
func expectNoLeak(t *testing.T, funcs []string, good func()) {
	t.Helper()
	p := leakProfile(t)
	scope := probe.NewScope()
	good()
	deadline := time.Now().Add(probe.Limit)
	for {
		var left []probe.Goroutine
		for _, fn := range funcs {
			left = append(left, probe.In(scope.Goroutines(), fn)...)
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutine %s still in [%s] after %v:\n%s", left[0].ID, left[0].State, probe.Limit, left[0].Stack)
		}
		time.Sleep(time.Millisecond)
	}
	runtime.GC()
	if total, stacks := leaked(t, p, funcs); len(stacks) > 0 {
		t.Fatalf("goroutineleak profile (total %s) reports goroutines in %s:\n%s", total, strings.Join(funcs, ", "), strings.Join(stacks, "\n\n"))
	}
}

// slowFetch answers only after ctx has ended: the caller always gives
// up first.
func slowFetch(ctx context.Context, key string) (string, error) {
	<-ctx.Done()
	return "", ctx.Err()
}

// fetchTimedOut calls fetch with a context that ends after a
// millisecond and requires it to give up with the context's error.
func fetchTimedOut(t *testing.T, fetch func(context.Context, leaks.Fetcher, string) (string, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if _, err := fetch(ctx, slowFetch, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want %v", err, context.DeadlineExceeded)
	}
}

func TestBadFetch(t *testing.T) {
	expectLeak(t, []string{"leaks.BadFetch"}, func() { fetchTimedOut(t, leaks.BadFetch) })
}

func TestGoodFetch(t *testing.T) {
	expectNoLeak(t, []string{"leaks.GoodFetch"}, func() { fetchTimedOut(t, leaks.GoodFetch) })
	fast := func(context.Context, string) (string, error) { return "v", nil }
	if v, err := leaks.GoodFetch(context.Background(), fast, "k"); v != "v" || err != nil {
		t.Errorf("GoodFetch = %q, %v; want v, nil", v, err)
	}
}

func TestGoodFetchSelect(t *testing.T) {
	expectNoLeak(t, []string{"leaks.GoodFetchSelect"}, func() { fetchTimedOut(t, leaks.GoodFetchSelect) })
	fast := func(context.Context, string) (string, error) { return "v", nil }
	if v, err := leaks.GoodFetchSelect(context.Background(), fast, "k"); v != "v" || err != nil {
		t.Errorf("GoodFetchSelect = %q, %v; want v, nil", v, err)
	}
}

var errTask = errors.New("task failed")

// tasks returns four tasks of which the second fails, and a counter of
// the tasks that ran.
func tasks() ([]leaks.Task, *atomic.Int32) {
	ran := new(atomic.Int32)
	ok := func() error { ran.Add(1); return nil }
	fail := func() error { ran.Add(1); return errTask }
	return []leaks.Task{ok, fail, ok, ok}, ran
}

func TestBadRunAll(t *testing.T) {
	expectLeak(t, []string{"leaks.BadRunAll"}, func() {
		ts, _ := tasks()
		if err := leaks.BadRunAll(ts); err != errTask {
			t.Fatalf("err = %v, want %v", err, errTask)
		}
	})
}

func TestGoodRunAll(t *testing.T) {
	ts, ran := tasks()
	expectNoLeak(t, []string{"leaks.GoodRunAll"}, func() {
		if err := leaks.GoodRunAll(ts); err != errTask {
			t.Fatalf("err = %v, want %v", err, errTask)
		}
	})
	if n := ran.Load(); n != int32(len(ts)) {
		t.Errorf("%d tasks ran, want %d", n, len(ts))
	}
}

func TestGoodRunUntilError(t *testing.T) {
	expectNoLeak(t, []string{"leaks.GoodRunUntilError"}, func() {
		ts, _ := tasks()
		if err := leaks.GoodRunUntilError(ts); err != errTask {
			t.Fatalf("err = %v, want %v", err, errTask)
		}
	})
}

var docs = []string{"the quick fox", "the lazy dog", "a fox and a dog"}

func TestBadIndexAll(t *testing.T) {
	expectLeak(t, []string{"leaks.BadIndexAll"}, func() { leaks.BadIndexAll(leaks.NewIndex(), docs) })
}

func TestGoodIndexAll(t *testing.T) {
	x := leaks.NewIndex()
	expectNoLeak(t, []string{"leaks.GoodIndexAll"}, func() { leaks.GoodIndexAll(x, docs) })
	if n := x.Docs(); n != len(docs) {
		t.Errorf("%d documents indexed, want %d", n, len(docs))
	}
}

var errWarm = errors.New("load failed")

// warm fails to load key "b".
func warm(key string) error {
	if key == "b" {
		return errWarm
	}
	return nil
}

var keys = []string{"a", "b", "c"}

func TestBadWarmer(t *testing.T) {
	w := leaks.NewBadWarmer(warm)
	expectLeak(t, []string{"leaks.(*BadWarmer).warmAll"}, func() { w.Start(keys) })
	select {
	case <-w.Ready():
		t.Error("Ready closed; want it never closed")
	default:
	}
}

func TestGoodWarmer(t *testing.T) {
	w := leaks.NewGoodWarmer(warm)
	expectNoLeak(t, []string{"leaks.(*GoodWarmer).warmAll"}, func() {
		w.Start(keys)
		select {
		case <-w.Ready():
		case <-time.After(probe.Limit):
			t.Fatalf("Ready not closed after %v", probe.Limit)
		}
	})
	if n := w.Failed(); n != 1 {
		t.Errorf("%d loads failed, want 1", n)
	}
}

// openGate parks a goroutine of the gate in its wait, then opens the
// gate; ran is set if the callback runs.
func openGate(t *testing.T, name string, g interface {
	Go(func())
	Open()
}, ran *atomic.Bool) {
	scope := probe.NewScope()
	g.Go(func() { ran.Store(true) })
	// Open before the goroutine waits would let it pass without a wake-up.
	scope.WaitState(t, "leaks.(*"+name+").wait", "sync.Cond.Wait")
	g.Open()
}

func TestBadGate(t *testing.T) {
	var ran atomic.Bool
	expectLeak(t, []string{"leaks.(*BadGate).Go", "leaks.(*BadGate).wait"}, func() {
		openGate(t, "BadGate", leaks.NewBadGate(), &ran)
	})
	if ran.Load() {
		t.Error("the callback ran; want it never run")
	}
}

func TestGoodGate(t *testing.T) {
	var ran atomic.Bool
	expectNoLeak(t, []string{"leaks.(*GoodGate).Go", "leaks.(*GoodGate).wait"}, func() {
		openGate(t, "GoodGate", leaks.NewGoodGate(), &ran)
	})
	if !ran.Load() {
		t.Error("the callback did not run")
	}
}

var errStore = errors.New("disk full")

func TestBadCache(t *testing.T) {
	expectLeak(t, []string{"leaks.(*BadCache).flush"}, func() {
		c := leaks.NewBadCache(func(key, val string) error { return errStore })
		c.Set("k", "v")
	})
}

func TestGoodCache(t *testing.T) {
	expectNoLeak(t, []string{"leaks.(*GoodCache).flush"}, func() {
		c := leaks.NewGoodCache(func(key, val string) error { return errStore })
		if err := c.Set("k", "v"); err != errStore {
			t.Fatalf("Set = %v, want %v", err, errStore)
		}
	})
}

func TestBadMonitor(t *testing.T) {
	expectLeak(t, []string{"leaks.(*BadMonitor).Check"}, func() {
		m := leaks.NewBadMonitor(func(string) error { return nil })
		if m.Results() != nil {
			t.Fatal("Results is made; want the nil channel of the mistake")
		}
		m.Check("db")
	})
}

func TestGoodMonitor(t *testing.T) {
	expectNoLeak(t, []string{"leaks.(*GoodMonitor).Check"}, func() {
		m := leaks.NewGoodMonitor(func(string) error { return nil })
		m.Check("db")
		select {
		case h := <-m.Results():
			if h.Target != "db" || h.Err != nil {
				t.Errorf("health = %+v, want db, nil", h)
			}
		case <-time.After(probe.Limit):
			t.Fatalf("no result after %v", probe.Limit)
		}
	})
}

var errDial = errors.New("dial failed")

func failDial(string) (string, error) { return "", errDial }

func okDial(addr string) (string, error) { return "conn:" + addr, nil }

func TestBadConnect(t *testing.T) {
	// BadConnect itself blocks for ever on a failed dial: run it on a
	// goroutine of its own, which leaks with the dialer's.
	expectLeak(t, []string{"leaks.BadConnect"}, func() { go leaks.BadConnect(failDial, "a") })
}

func TestGoodConnect(t *testing.T) {
	expectNoLeak(t, []string{"leaks.GoodConnect"}, func() {
		if _, err := leaks.GoodConnect(failDial, "a"); !errors.Is(err, errDial) {
			t.Errorf("GoodConnect err = %v, want %v", err, errDial)
		}
	})
	if c, err := leaks.GoodConnect(okDial, "a"); c != "conn:a" || err != nil {
		t.Errorf("GoodConnect = %q, %v; want conn:a, nil", c, err)
	}
}

func TestBadGather(t *testing.T) {
	// BadGather deadlocks with its workers: run it on a goroutine of its
	// own, which leaks with them.
	expectLeak(t, []string{"leaks.BadGather"}, func() { go leaks.BadGather(okDial, []string{"a", "b"}) })
}

func TestGoodGather(t *testing.T) {
	expectNoLeak(t, []string{"leaks.GoodGather"}, func() {
		if got := leaks.GoodGather(okDial, []string{"a", "b", "c"}); len(got) != 3 {
			t.Errorf("GoodGather returned %d connections, want 3", len(got))
		}
	})
}
