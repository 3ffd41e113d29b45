package regress

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Waits and sends under a lock that cannot last: each good function
// has a twin that can block on someone who needs the lock, or for as
// long as slow work takes.

// ---- a WaitGroup joining goroutines that only compute ----

type cbSite struct {
	mu    sync.RWMutex
	pages []string
	hits  int
}

// renderQuiet's workers only compute: the wait is for the CPU.
func (s *cbSite) renderQuiet() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, len(s.pages))
	var wg sync.WaitGroup
	for i, p := range s.pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = strings.ToUpper(p)
		}()
	}
	wg.Wait()
	return out
}

// renderGo is the same with WaitGroup.Go.
func (s *cbSite) renderGo() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, len(s.pages))
	var wg sync.WaitGroup
	for i, p := range s.pages {
		wg.Go(func() { out[i] = strings.TrimSpace(p) })
	}
	wg.Wait()
	return out
}

// renderCounting's workers need the lock the waiter holds.
func (s *cbSite) renderCounting() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var wg sync.WaitGroup
	for range s.pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.mu.Lock()
			s.hits++
			s.mu.Unlock()
		}()
	}
	wg.Wait() // want `s.mu \(read\) held across blocking call to wg.Wait`
}

// fetchAll's workers do network I/O: the lock is held for as long.
func (s *cbSite) fetchAll() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var wg sync.WaitGroup
	for _, p := range s.pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.Get(p); err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait() // want `s.mu \(read\) held across blocking call to wg.Wait`
}

// ---- a send that gives up at a deadline set in view ----

type cbQueue struct {
	mu  sync.Mutex
	seq int
	out chan int
}

func (q *cbQueue) publishBounded(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	select {
	case q.out <- q.seq:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// publishCaller's context may never end.
func (q *cbQueue) publishCaller(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	select { // want `q.mu held across blocking select without default`
	case q.out <- q.seq:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ---- a buffer sized to the loop that fills it ----

type cbRegistry struct {
	sync.Mutex
	names []string
}

func (r *cbRegistry) add(n string) {
	r.Lock()
	r.names = append(r.names, n)
	r.Unlock()
}

func (r *cbRegistry) snapshot() <-chan string {
	r.Lock()
	defer r.Unlock()
	ch := make(chan string, len(r.names))
	for _, n := range r.names {
		ch <- n
	}
	close(ch)
	return ch
}

// The peers of a table, handed to workers through a channel with room
// for each: from the map itself, or from the ids asked for.
type cbTable struct {
	mu    sync.RWMutex
	addrs map[string]string
}

func (t *cbTable) add(id, addr string) {
	t.mu.Lock()
	t.addrs[id] = addr
	t.mu.Unlock()
}

func (t *cbTable) check(ids ...string) int {
	var peers chan string
	var total int
	if len(ids) == 0 {
		t.mu.RLock()
		total = len(t.addrs)
		peers = make(chan string, total)
		for _, a := range t.addrs {
			peers <- a
		}
		close(peers)
		t.mu.RUnlock()
	} else {
		total = len(ids)
		peers = make(chan string, total)
		t.mu.RLock()
		for _, id := range ids {
			peers <- t.addrs[id]
		}
		close(peers)
		t.mu.RUnlock()
	}
	return cbWorkers(4, peers)
}

func cbWorkers(n int, in <-chan string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	count := 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range in {
				mu.Lock()
				count++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return count
}

// checkTwice sends each peer twice into room for one.
func (t *cbTable) checkTwice() int {
	t.mu.RLock()
	peers := make(chan string, len(t.addrs))
	for _, a := range t.addrs {
		peers <- a // want `t.mu \(read\) held across blocking send on peers \(and 1 more blocking operation in the same critical section\)`
		peers <- a
	}
	close(peers)
	t.mu.RUnlock()
	return cbWorkers(4, peers)
}

// snapshotAtLeast sizes the buffer to the names or a floor, whichever
// is more.
func (r *cbRegistry) snapshotAtLeast() <-chan string {
	r.Lock()
	defer r.Unlock()
	ch := make(chan string, max(len(r.names), 16))
	for _, n := range r.names {
		ch <- n
	}
	close(ch)
	return ch
}

// subscribe fills a new listener's buffer with the current names before
// it registers the listener, under the registry's lock; later names
// reach it only through publish, which needs that lock.
type cbFeed struct {
	mu        sync.Mutex
	names     []string
	listeners map[int]chan string
}

func (f *cbFeed) subscribe(id int) <-chan string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan string, max(len(f.names), 16))
	for _, n := range f.names {
		ch <- n
	}
	f.listeners[id] = ch
	return ch
}

// subscribeLate registers the listener first: a sender that needs no
// lock may fill the buffer before the loop does.
func (f *cbFeed) subscribeLate(id int) <-chan string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan string, len(f.names))
	f.listeners[id] = ch
	for _, n := range f.names {
		ch <- n // want `f.mu held across blocking send on ch`
	}
	return ch
}

func (f *cbFeed) publish(n string) {
	f.mu.Lock()
	f.names = append(f.names, n)
	ls := make([]chan string, 0, len(f.listeners))
	for _, l := range f.listeners {
		ls = append(ls, l)
	}
	f.mu.Unlock()
	for _, l := range ls {
		l <- n
	}
}

// snapshotTwice sends two values per name into room for one.
func (r *cbRegistry) snapshotTwice() <-chan string {
	r.Lock()
	defer r.Unlock()
	ch := make(chan string, len(r.names))
	for _, n := range r.names {
		ch <- n // want `r.Mutex held across blocking send on ch \(and 1 more blocking operation in the same critical section\)`
		ch <- n
	}
	close(ch)
	return ch
}

// A ring of free slots that its constructor fills, one per slot, into
// a field of the new ring; the constructor runs under a pool's lock.
type cbSlot struct{ id int }

type cbRing struct {
	free chan cbSlot
	used chan cbSlot
}

func newCBRing(size int) *cbRing {
	r := &cbRing{free: make(chan cbSlot, size), used: make(chan cbSlot, size)}
	for i := range size {
		r.free <- cbSlot{id: i}
	}
	return r
}

// newCBRingTwice fills the ring a second time: the second loop's sends
// find it full.
func newCBRingTwice(size int) *cbRing {
	r := &cbRing{free: make(chan cbSlot, size)}
	for i := range size {
		r.free <- cbSlot{id: i}
	}
	for i := range size {
		r.free <- cbSlot{id: i}
	}
	return r
}

type cbRingPool struct {
	mu    sync.Mutex
	rings map[string]*cbRing
}

func (p *cbRingPool) get(name string, size int) *cbRing {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.rings[name]; r != nil {
		return r
	}
	r := newCBRing(size)
	p.rings[name] = r
	return r
}

func (p *cbRingPool) getTwice(name string, size int) *cbRing {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := newCBRingTwice(size) // want `p.mu held across blocking send on r.free`
	p.rings[name] = r
	return r
}

// ---- latest value wins: drained, then sent, under the senders' lock ----

type cbBalancer struct {
	mu      sync.Mutex
	addrs   []string
	updates chan []string
	down    map[string]bool
}

func newCBBalancer() *cbBalancer {
	b := &cbBalancer{updates: make(chan []string, 1), down: map[string]bool{}}
	go b.watch()
	return b
}

func (b *cbBalancer) set(addrs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addrs = addrs
	select {
	case <-b.updates:
	default:
	}
	b.updates <- addrs
}

func (b *cbBalancer) watch() {
	for addrs := range b.updates {
		b.mu.Lock()
		for _, a := range addrs {
			b.down[a] = false
		}
		b.mu.Unlock()
	}
}

// The same without the drain: the watcher needs b.mu to take the
// previous value out.
type cbBalancer2 struct {
	mu      sync.Mutex
	addrs   []string
	updates chan []string
	down    map[string]bool
}

func newCBBalancer2() *cbBalancer2 {
	b := &cbBalancer2{updates: make(chan []string, 1), down: map[string]bool{}}
	go b.watch()
	return b
}

func (b *cbBalancer2) set(addrs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addrs = addrs
	b.updates <- addrs // want `b.mu held across blocking send on b.updates`
}

func (b *cbBalancer2) watch() {
	for addrs := range b.updates {
		b.mu.Lock()
		for _, a := range addrs {
			b.down[a] = false
		}
		b.mu.Unlock()
	}
}

// ---- one reply per request received ----

type cbTally struct{ n int }

type cbRequest struct {
	key   string
	reply chan cbTally
}

type cbCounter struct {
	mu     sync.Mutex
	counts map[string]int
	reqs   chan cbRequest
}

func (c *cbCounter) serve() {
	for req := range c.reqs {
		c.mu.Lock()
		c.counts[req.key]++
		req.reply <- cbTally{c.counts[req.key]}
		c.mu.Unlock()
	}
}

func (c *cbCounter) incr(ctx context.Context, key string) (int, error) {
	req := cbRequest{key: key, reply: make(chan cbTally, 1)}
	select {
	case c.reqs <- req:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	select {
	case t := <-req.reply:
		return t.n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// The same protocol with unbuffered replies: a requester that gave up
// leaves the server blocked with the lock held.
type cbCount struct{ n int }

type cbRequest2 struct {
	key   string
	reply chan cbCount
}

type cbCounter2 struct {
	mu     sync.Mutex
	counts map[string]int
	reqs   chan cbRequest2
}

func (c *cbCounter2) serve() {
	for req := range c.reqs {
		c.mu.Lock()
		c.counts[req.key]++
		req.reply <- cbCount{c.counts[req.key]} // want `c.mu held across blocking send on req.reply`
		c.mu.Unlock()
	}
}

func (c *cbCounter2) incr(ctx context.Context, key string) (int, error) {
	req := cbRequest2{key: key, reply: make(chan cbCount)}
	select {
	case c.reqs <- req:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	select {
	case t := <-req.reply:
		return t.n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// The channel is also handed to a helper that sends without draining:
// the drain before the other send proves nothing (the helper's send is
// reported; the direct one, on a buffered channel whose receivers are
// no longer all in sight, is left to it).
type cbBalancer3 struct {
	mu      sync.Mutex
	updates chan []string
	down    map[string]bool
}

func newCBBalancer3() *cbBalancer3 {
	b := &cbBalancer3{updates: make(chan []string, 1), down: map[string]bool{}}
	go b.watch()
	return b
}

func (b *cbBalancer3) set(addrs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-b.updates:
	default:
	}
	b.updates <- addrs
	cbPush(b.updates, addrs) // want `b.mu held across blocking send on ch \(via cbPush\)`
}

func cbPush(ch chan []string, v []string) { ch <- v }

func (b *cbBalancer3) watch() {
	for addrs := range b.updates {
		b.mu.Lock()
		for _, a := range addrs {
			b.down[a] = false
		}
		b.mu.Unlock()
	}
}

// ---- select {} parks the goroutine on purpose ----

// A call group that, on a panic in the callee, re-panics in a new
// goroutine (crashing the program) and parks the current one so that it
// shows in the crash dump: the lock it holds is never wanted again.
type cbGroup struct {
	mu sync.Mutex
	m  map[string]int
}

func (g *cbGroup) finish(key string, p any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, key)
	if p != nil {
		go panic(p)
		select {}
	}
}

// finishWait parks on a channel nobody may ever close.
func (g *cbGroup) finishWait(key string, wait chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, key)
	<-wait // want `g.mu held across blocking receive from wait`
}

// ---- one reply per waiter, each waiter with a slot of its own ----

type cbResult struct{ val int }

type cbCall struct {
	wg    sync.WaitGroup
	val   int
	chans []chan<- cbResult
}

// cbFlight answers every waiter of a call once, under the group's lock;
// each waiter's channel was made for it with room for that one reply.
type cbFlight struct {
	mu sync.Mutex
	m  map[string]*cbCall
}

func (g *cbFlight) doChan(key string, fn func() int) <-chan cbResult {
	ch := make(chan cbResult, 1)
	g.mu.Lock()
	if c, ok := g.m[key]; ok {
		c.chans = append(c.chans, ch)
		g.mu.Unlock()
		return ch
	}
	c := &cbCall{chans: []chan<- cbResult{ch}}
	c.wg.Add(1)
	g.m[key] = c
	g.mu.Unlock()
	go g.doCall(c, key, fn)
	return ch
}

func (g *cbFlight) doCall(c *cbCall, key string, fn func() int) {
	c.val = fn()
	g.mu.Lock()
	defer g.mu.Unlock()
	c.wg.Done()
	if g.m[key] == c {
		delete(g.m, key)
	}
	for _, ch := range c.chans {
		ch <- cbResult{c.val}
	}
}

// cbFlight2's waiters share channels made without room.
type cbCall2 struct {
	val   int
	chans []chan<- cbResult
}

type cbFlight2 struct {
	mu sync.Mutex
	m  map[string]*cbCall2
}

func (g *cbFlight2) doChan(key string) <-chan cbResult {
	ch := make(chan cbResult)
	g.mu.Lock()
	c := &cbCall2{chans: []chan<- cbResult{ch}}
	g.m[key] = c
	g.mu.Unlock()
	go g.doCall(c, key)
	return ch
}

func (g *cbFlight2) doCall(c *cbCall2, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, key)
	for _, ch := range c.chans {
		ch <- cbResult{c.val} // want `g.mu held across blocking send on ch`
	}
}
