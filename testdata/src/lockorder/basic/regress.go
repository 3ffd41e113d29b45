package basic

import "sync"

// Regressions from the standard library.

// runtime/pprof: a mutex used as a hand-off: another goroutine unlocks
// it, so the second Lock waits for that goroutine, not forever.
func handoff(done chan bool) {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		<-done
		mu.Unlock()
	}()
	mu.Lock() // ok: the goroutine unlocks it
	mu.Unlock()
}

func handoffInGoroutine(done chan bool) {
	var mu sync.Mutex
	go func() {
		mu.Lock()
		mu.Lock() // ok: the spawner unlocks it
	}()
	<-done
	mu.Unlock()
}

// testing.B.Run: a callee releases the caller's lock and takes it back,
// in a loop.
var benchMu sync.Mutex

type bench struct{}

func (bench) run(f func()) {
	benchMu.Unlock()
	defer benchMu.Lock()
	f()
}

func runAll(b bench, fs []func()) {
	for _, f := range fs {
		b.run(f)
	}
}

func benchMain(b bench, fs []func()) {
	benchMu.Lock()
	defer benchMu.Unlock()
	b.run(nil)
	runAll(b, fs) // ok: runAll only releases and retakes benchMu
}

// crypto/tls: an RLocked helper that upgrades by releasing first.
type config struct {
	mu  sync.RWMutex
	key []byte
}

func (c *config) initKeyRLocked() {
	if c.key != nil {
		return
	}
	c.mu.RUnlock()
	defer c.mu.RLock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.key = []byte{1}
}

func (c *config) keys() []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.initKeyRLocked() // ok: the helper releases the read lock first
	return c.key
}

// crypto/tls (QUIC): a callee takes the lock only on a path that is not
// taken with the lock held; a conditional take is not a double lock.
type conn struct {
	mu   sync.Mutex
	vers int
}

func (c *conn) renegotiate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.vers = 0
}

func (c *conn) postHandshake() {
	if c.vers != 13 {
		c.renegotiate()
		return
	}
	c.vers++
}

func (c *conn) quicHandle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.postHandshake() // ok: renegotiate only runs on another version
}

// crypto/tls: two fields of one type (in and out) are different classes,
// so in -> hs and hs -> out is no cycle.
type halfConn struct {
	sync.Mutex
	seq int
}

func (hc *halfConn) bump() {
	hc.Lock()
	hc.seq++
	hc.Unlock()
}

type tlsConn struct {
	hs      sync.Mutex
	in, out halfConn
}

func (c *tlsConn) Read() {
	c.in.Lock()
	defer c.in.Unlock()
	c.hs.Lock() // ok: in before hs
	c.hs.Unlock()
}

func (c *tlsConn) Handshake() {
	c.hs.Lock()
	defer c.hs.Unlock()
	c.out.bump() // ok: out, not in, after hs
}

// Bad twin: the same field in both orders is still a cycle.
type tlsConn2 struct {
	hs      sync.Mutex
	in, out halfConn
}

func (c *tlsConn2) Read() {
	c.in.Lock()
	defer c.in.Unlock()
	c.hs.Lock() // want `lock order inversion: tlsConn2.hs acquired while holding tlsConn2.in.Mutex; \(\*tlsConn2\).Handshake acquires them in the other order`
	c.hs.Unlock()
}

func (c *tlsConn2) Handshake() {
	c.hs.Lock()
	defer c.hs.Unlock()
	c.in.bump()
}

// sync: a Locker may be an RLocker; locking it twice is a read-lock
// recursion of unknown safety, not a plain double lock.
func lockerTwice(rw *sync.RWMutex) {
	rl := rw.RLocker()
	rl.Lock()
	rl.Lock() // ok: not reported
	rl.Unlock()
	rl.Unlock()
}

// runtime: a goroutine hands the mutex back (chan_test TestPseudoRandomSend).
func waitForWorker(c chan int) {
	var m sync.Mutex
	m.Lock()
	go func() {
		<-c
		m.Unlock()
	}()
	c <- 1
	m.Lock() // ok: wait for the worker
}
