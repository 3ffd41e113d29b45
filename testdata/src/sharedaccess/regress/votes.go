package regress

import (
	"fmt"
	"sort"
	"sync"
)

// Functions vote on a field's guard, not accesses.

// BAD: String walks the map without the lock that Set changes it
// under; its three reads do not outvote Set, which reads the map and
// changes it under the lock.
type VtLabels struct {
	mu     sync.Mutex
	labels map[string]string // want labels:`guarded\(mu\)`
}

func (s *VtLabels) Set(k, v string) { // want Set:`accesses\(r 0\.labels \[\(\*regress\.VtLabels\)\.mu\]; w 0\.labels\{\} \[\(\*regress\.VtLabels\)\.mu\]\)`
	s.mu.Lock()
	s.labels[k] = v
	s.mu.Unlock()
}

func (s *VtLabels) String() string { // want String:`accesses\(r 0\.labels; r 0\.labels\{\}\)`
	keys := make([]string, 0, len(s.labels)) // want `unsynchronized read of s.labels: \(\*VtLabels\).String reads it without s.mu, which \(\*VtLabels\).Set writes holding it`
	for k := range s.labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ""
	for _, k := range keys {
		out += fmt.Sprintf("%s=%q,", k, s.labels[k])
	}
	return out
}

func vtReport(s *VtLabels, every <-chan struct{}) {
	go func() {
		for range every {
			fmt.Println(s)
		}
	}()
}

// GOOD: a lone setter under the lock does not outvote a lone reader
// that reads twice: the result is read after Wait, which the setter's
// Done releases.
type VtFuture struct {
	mu    sync.Mutex
	done  bool
	item  any
	ready sync.WaitGroup
}

func (f *VtFuture) Result() any { // want Result:`accesses\(r 0\.done \[\(\*regress\.VtFuture\)\.mu\]; r 0\.item; wait 0\.ready\)`
	f.mu.Lock()
	if f.done {
		f.mu.Unlock()
		return f.item
	}
	f.mu.Unlock()
	f.ready.Wait()
	return f.item
}

func (f *VtFuture) set(v any) {
	f.mu.Lock()
	f.done = true
	f.item = v
	f.mu.Unlock()
	f.ready.Done()
}

func vtStart(f *VtFuture, ch <-chan any) {
	f.ready.Add(1)
	go func() { f.set(<-ch) }()
}

// GOOD: Draw holds the lock over its whole body for the text; the
// scroll offset belongs to the UI goroutine, which alone scrolls and
// draws, and two setters change it without the lock.
type VtView struct {
	mu     sync.Mutex
	text   []byte // want text:`guarded\(mu\)`
	offset int
}

func (v *VtView) write(p []byte) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.text = append(v.text, p...)
}

func (v *VtView) ScrollTo(n int) { v.offset = n }
func (v *VtView) ScrollToTop()   { v.offset = 0 }

func (v *VtView) Draw() int { // want Draw:`accesses\(r 0\.text \[\(\*regress\.VtView\)\.mu\]\)`
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.offset > len(v.text) {
		v.offset = len(v.text)
	}
	return v.offset
}

func vtRun(v *VtView, keys <-chan int, lines [][]byte) {
	go func() {
		for _, l := range lines {
			v.write(l)
		}
	}()
	for k := range keys {
		if k < 0 {
			v.ScrollToTop()
		} else {
			v.ScrollTo(k)
		}
		v.Draw()
	}
}

// GOOD: the buffer belongs to the goroutine that runs loop, the only
// code that touches it; drain, which loop calls holding the lock for
// the policy, runs there too.
type VtStore struct {
	mu     sync.Mutex
	buf    []int       // want buf:`guarded\(mu\)`
	policy map[int]int // want policy:`guarded\(mu\)`
	in     chan int
}

func (s *VtStore) drain() {
	for _, v := range s.buf {
		s.policy[v]++
	}
	s.buf = s.buf[:0]
}

func (s *VtStore) loop() {
	for v := range s.in {
		s.buf = append(s.buf, v)
		if len(s.buf) > 8 {
			s.mu.Lock()
			s.drain()
			s.mu.Unlock()
		}
	}
}

func (s *VtStore) Policy(k int) int { // want Policy:`accesses\(r 0\.policy \[\(\*regress\.VtStore\)\.mu\]; r 0\.policy\{\} \[\(\*regress\.VtStore\)\.mu\]\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policy[k]
}

func NewVtStore() *VtStore {
	s := &VtStore{policy: map[int]int{}, in: make(chan int)}
	go s.loop()
	return s
}
