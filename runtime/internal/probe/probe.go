// Package probe holds the test helpers shared by the runtime/
// demonstrations: running a test in a child race-detector process and
// finding the expected race sites by marker comments, telling a
// deadlock from slow progress by the goroutines' wait states, and
// waiting until a goroutine is parked in a given blocking operation.
//
// It is imported only by tests.
package probe

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Goroutine is one goroutine of a stack dump.
type Goroutine struct {
	ID    string
	State string // the wait state in brackets: "sync.Mutex.Lock", "chan send", "sleep", ...
	Stack string // the frames, one function line and one file line each
}

// Goroutines returns every goroutine of the process, parsed from
// runtime.Stack.
func Goroutines() []Goroutine {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var gs []Goroutine
	for _, block := range strings.Split(string(buf), "\n\n") {
		header, stack, _ := strings.Cut(block, "\n")
		m := headerRE.FindStringSubmatch(header)
		if m == nil {
			continue
		}
		state, _, _ := strings.Cut(m[2], ",") // "chan send, 2 minutes"
		gs = append(gs, Goroutine{ID: m[1], State: state, Stack: stack})
	}
	return gs
}

var headerRE = regexp.MustCompile(`^goroutine (\d+) (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[([^\]]*)\]:`)

// Scope is the set of goroutines that existed when it was taken. A
// test takes one first and looks only at goroutines started later, so
// that goroutines an earlier test deliberately left blocked (or an
// earlier run of the same test, under -count) are not mistaken for its
// own.
type Scope struct {
	old map[string]bool
}

// NewScope records the goroutines that exist now.
func NewScope() Scope {
	s := Scope{old: make(map[string]bool)}
	for _, g := range Goroutines() {
		s.old[g.ID] = true
	}
	return s
}

// Goroutines returns the goroutines started since s was taken
// (goroutine ids are never reused).
func (s Scope) Goroutines() []Goroutine {
	var out []Goroutine
	for _, g := range Goroutines() {
		if !s.old[g.ID] {
			out = append(out, g)
		}
	}
	return out
}

// In returns the goroutines whose stack contains a frame of fn, a
// function name as the stack dump prints it ("races.BadCounter" also
// matches its closures "races.BadCounter.func1";
// "deadlock.(*BadRegistry).Add").
func In(gs []Goroutine, fn string) []Goroutine {
	var out []Goroutine
	for _, g := range gs {
		if strings.Contains(g.Stack, fn+"(") || strings.Contains(g.Stack, fn+".func") {
			out = append(out, g)
		}
	}
	return out
}

// LockWait reports whether state is a wait to acquire a sync.Mutex or
// sync.RWMutex.
func LockWait(state string) bool {
	switch state {
	case "sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock":
		return true
	}
	return false
}

// poll is how often the waits below look at the goroutines. It is not
// a bound on anything: they return as soon as the state is seen.
const poll = time.Millisecond

// Limit bounds every wait of this package. It is reached only when the
// awaited state never comes (a failing test); a passing test returns
// as soon as the state is seen, within milliseconds.
const Limit = 20 * time.Second

// WaitState waits until a goroutine of s running fn is parked in
// state (compared as a prefix, so "select" also matches "select (no
// cases)") and returns it. It fails t after Limit.
func (s Scope) WaitState(t testing.TB, fn, state string) Goroutine {
	t.Helper()
	deadline := time.Now().Add(Limit)
	for time.Now().Before(deadline) {
		for _, g := range In(s.Goroutines(), fn) {
			if strings.HasPrefix(g.State, state) {
				return g
			}
		}
		time.Sleep(poll)
	}
	t.Fatalf("no goroutine in %s reached state [%s] within %v", fn, state, Limit)
	return Goroutine{}
}

// WaitCount waits until at least n goroutines of s running fn are
// parked in state (a prefix, as for WaitState). It fails t after Limit.
func (s Scope) WaitCount(t testing.TB, fn, state string, n int) {
	t.Helper()
	deadline := time.Now().Add(Limit)
	got := 0
	for time.Now().Before(deadline) {
		got = 0
		for _, g := range In(s.Goroutines(), fn) {
			if strings.HasPrefix(g.State, state) {
				got++
			}
		}
		if got >= n {
			return
		}
		time.Sleep(poll)
	}
	t.Fatalf("%d goroutines in %s reached state [%s] within %v, want %d", got, fn, state, Limit, n)
}

// Watchdog decides whether goroutines deadlocked: it reads a progress
// counter that the goroutines advance as they work, and reports a
// deadlock once the counter has not moved for Window while every
// goroutine that runs one of the named functions is parked waiting for
// a lock. A goroutine merely slow, runnable, or briefly queued on a
// contended lock keeps the counter moving or fails the second test.
type Watchdog struct {
	Scope    Scope         // only goroutines started since (zero: all)
	Progress func() uint64 // a counter the workers advance; nil: never advances
	Funcs    []string      // functions whose goroutines must all be parked on a lock
	Min      int           // at least this many such goroutines (default 1)
	Window   time.Duration // how long progress must stall (default 20ms)
}

// Deadlocked watches until the goroutines deadlock, returning the
// parked goroutines, or until done is closed (the workers finished),
// returning nil. It fails t if neither happens within Limit.
func (w Watchdog) Deadlocked(t testing.TB, done <-chan struct{}) []Goroutine {
	t.Helper()
	window := w.Window
	if window == 0 {
		window = 20 * time.Millisecond
	}
	min := max(w.Min, 1)
	progress := w.Progress
	if progress == nil {
		progress = func() uint64 { return 0 }
	}
	last, since := progress(), time.Now()
	deadline := time.Now().Add(Limit)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return nil
		case <-time.After(poll):
		}
		if p := progress(); p != last {
			last, since = p, time.Now()
			continue
		}
		if time.Since(since) < window {
			continue
		}
		var parked []Goroutine
		all := true
		gs := w.Scope.Goroutines()
		for _, fn := range w.Funcs {
			for _, g := range In(gs, fn) {
				if !LockWait(g.State) {
					all = false
				}
				parked = append(parked, g)
			}
		}
		if all && len(parked) >= min {
			return parked
		}
	}
	t.Fatalf("goroutines in %v neither finished nor deadlocked within %v", w.Funcs, Limit)
	return nil
}

// MarkerLines returns "file.go:line" for every line of the non-test Go
// files in dir that carries the comment "// race: name" (several names
// may follow, separated by commas). It fails t if there is none.
func MarkerLines(t testing.TB, dir, name string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		// A test binary run away from its sources (go test -c, then
		// run elsewhere) cannot locate the expected lines.
		t.Skipf("no Go source files in %s to find the lines marked // race: %s; run the test from its package directory", dir, name)
	}
	var lines []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			_, marker, ok := strings.Cut(sc.Text(), "// race: ")
			if !ok {
				continue
			}
			for _, m := range strings.Split(marker, ",") {
				if strings.TrimSpace(m) == name {
					lines = append(lines, filepath.Base(file)+":"+itoa(n))
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if len(lines) == 0 {
		t.Fatalf("no line in %s is marked // race: %s", dir, name)
	}
	return lines
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
