package deadlock_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/syncvet/syncvet/runtime/deadlock"
	"github.com/syncvet/syncvet/runtime/internal/probe"
)

// loop runs each body in its own goroutine, n times or, when n is 0,
// until stop is set; it counts every iteration in progress and closes
// the returned channel once all goroutines have returned.
func loop(n int, stop *atomic.Bool, progress *atomic.Uint64, bodies ...func(i int)) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, body := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; n == 0 || i < n; i++ {
				if stop.Load() {
					return
				}
				body(i)
				progress.Add(1)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// expectDeadlock runs the bodies until the watchdog sees the goroutines
// in funcs parked on locks with no progress. The deadlocked goroutines
// stay blocked: they are leaked on purpose and hold only this test's
// locks.
//
// A deadlock needs two goroutines inside the critical section at once:
// with GOMAXPROCS=1 (go test -cpu 1) short bodies run one after the
// other and almost never interleave there, so GOMAXPROCS is raised to 2
// for the test; on a single CPU the kernel then interleaves the two
// threads.
func expectDeadlock(t *testing.T, min int, funcs []string, bodies ...func(i int)) {
	t.Helper()
	scope := probe.NewScope()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	var stop atomic.Bool
	var progress atomic.Uint64
	done := loop(0, &stop, &progress, bodies...)
	defer stop.Store(true)
	w := probe.Watchdog{Scope: scope, Progress: progress.Load, Funcs: funcs, Min: min}
	parked := w.Deadlocked(t, done)
	if parked == nil {
		t.Fatal("the goroutines finished; want a deadlock")
	}
	for _, g := range parked {
		t.Logf("goroutine %s parked in [%s]", g.ID, g.State)
	}
	t.Logf("deadlocked after %d iterations", progress.Load())
}

// expectFinish runs each body n times and fails if the watchdog sees a
// deadlock first.
func expectFinish(t *testing.T, n int, funcs []string, bodies ...func(i int)) {
	t.Helper()
	scope := probe.NewScope()
	var stop atomic.Bool
	var progress atomic.Uint64
	done := loop(n, &stop, &progress, bodies...)
	w := probe.Watchdog{Scope: scope, Progress: progress.Load, Funcs: funcs, Min: len(funcs)}
	if parked := w.Deadlocked(t, done); parked != nil {
		stop.Store(true)
		t.Fatalf("deadlock after %d iterations: %v", progress.Load(), parked)
	}
	if got := progress.Load(); got != uint64(n*len(bodies)) {
		t.Fatalf("%d iterations, want %d", got, n*len(bodies))
	}
}

func accounts() map[string]int { return map[string]int{"alice": 100, "bob": 100} }

func TestBadBank(t *testing.T) {
	b := deadlock.NewBadBank(accounts())
	expectDeadlock(t, 2,
		[]string{"deadlock.(*BadBank).Pay", "deadlock.(*BadLedger).Audit"},
		func(int) { b.Pay("alice", "bob", 1) },
		func(int) { b.Ledger().Audit() },
	)
}

func TestGoodBank(t *testing.T) {
	b := deadlock.NewGoodBank(accounts())
	expectFinish(t, 2000,
		[]string{"deadlock.(*GoodBank).Pay", "deadlock.(*GoodLedger).Audit"},
		func(int) { b.Pay("alice", "bob", 1) },
		func(int) {
			if _, total := b.Ledger().Audit(); total != 200 {
				t.Errorf("total = %d, want 200", total)
			}
		},
	)
	if n, _ := b.Ledger().Audit(); n != 2000 {
		t.Errorf("%d entries, want 2000", n)
	}
}

func TestBadRegistry(t *testing.T) {
	r := deadlock.NewBadRegistry()
	expectDeadlock(t, 1,
		[]string{"deadlock.(*BadRegistry).Register"},
		func(int) { r.Register("x") },
	)
}

func TestGoodRegistry(t *testing.T) {
	r := deadlock.NewGoodRegistry()
	names := []string{"a", "b", "c", "a"}
	expectFinish(t, 1000,
		[]string{"deadlock.(*GoodRegistry).Register"},
		func(i int) { r.Register(names[i%len(names)]) },
		func(i int) { r.Register(names[(i+1)%len(names)]) },
	)
	if r.Len() != 3 || r.Register("a") != r.Register("a") {
		t.Errorf("Len = %d, want 3", r.Len())
	}
}

func TestBadConfig(t *testing.T) {
	c := deadlock.NewBadConfig()
	c.Set("k", "v")
	expectDeadlock(t, 2,
		[]string{"deadlock.(*BadConfig).Lookup", "deadlock.(*BadConfig).Set"},
		func(int) { c.Lookup("k", "") },
		func(int) { c.Set("k", "v") },
	)
}

func TestGoodConfig(t *testing.T) {
	c := deadlock.NewGoodConfig()
	c.Set("k", "v")
	expectFinish(t, 5000,
		[]string{"deadlock.(*GoodConfig).Lookup", "deadlock.(*GoodConfig).Set"},
		func(int) {
			if got := c.Lookup("k", ""); got != "v" {
				t.Errorf("Lookup = %q, want v", got)
			}
		},
		func(int) { c.Set("k", "v") },
	)
}

func TestBadSwap(t *testing.T) {
	a, b := new(deadlock.BadAccount), new(deadlock.BadAccount)
	expectDeadlock(t, 2,
		[]string{"deadlock.BadTransfer"},
		func(int) { deadlock.BadSwap(a, b, 1, 1) },
	)
}

func TestGoodSwap(t *testing.T) {
	a, b := &deadlock.GoodAccount{ID: 1}, &deadlock.GoodAccount{ID: 2}
	expectFinish(t, 2000,
		[]string{"deadlock.GoodTransfer"},
		func(int) { deadlock.GoodSwap(a, b, 1, 1) },
	)
	if a.Balance() != 0 || b.Balance() != 0 {
		t.Errorf("balances %d, %d after equal swaps; want 0, 0", a.Balance(), b.Balance())
	}
}
