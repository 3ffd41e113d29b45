package regress

// A helper that every caller in the package calls holding o.mu arms a
// timer whose callback takes o.mu itself (nats-server's resetPtmr): its
// writes after the AfterFunc call are under o.mu too.

import (
	"sync"
	"time"
)

type timerConsumer struct {
	mu      sync.Mutex
	ptmr    *time.Timer // want ptmr:`guarded\(mu\)`
	ptmrEnd time.Time
	n       int // want n:`guarded\(mu\)`
}

// resetPtmr must be called with o.mu held.
func (o *timerConsumer) resetPtmr(d time.Duration) {
	if o.ptmr == nil {
		o.ptmr = time.AfterFunc(d, o.checkPending)
	} else {
		o.ptmr.Reset(d)
	}
	o.ptmrEnd = time.Now().Add(d)
}

func (o *timerConsumer) checkPending() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n++
	if o.n > 3 {
		o.resetPtmr(time.Second)
	}
}

func (o *timerConsumer) start() {
	o.mu.Lock()
	o.resetPtmr(time.Second)
	o.mu.Unlock()
}

func (o *timerConsumer) deliver() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.resetPtmr(time.Millisecond)
}

type leakyTimer struct {
	mu   sync.Mutex
	tmr  *time.Timer
	last time.Time
	n    int
}

// arm is called once without the lock: its write after the AfterFunc
// call races with the callback's.
func (l *leakyTimer) arm(d time.Duration) {
	l.tmr = time.AfterFunc(d, l.fire)
	l.last = time.Now()
}

func (l *leakyTimer) fire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = time.Now() // want `unsynchronized write to l\.last: the goroutine running fire\$bound writes l\.last, which \(\*leakyTimer\)\.arm writes after the AfterFunc call`
}

func (l *leakyTimer) start() {
	l.mu.Lock()
	l.arm(time.Second)
	l.mu.Unlock()
}

func (l *leakyTimer) restart() { l.arm(time.Second) }

// A helper documented as called with the lock held ("Lock should be
// held", nats-server's convention) arms a timer whose callback takes
// the lock: the write after the AfterFunc call is under the caller's
// lock, whatever the analysis can see of the callers.

type pinger struct {
	mu   sync.Mutex
	ping *time.Timer
	out  int // want out:`guarded\(mu\)`
}

// Lock should be held
func (c *pinger) setPingTimer() {
	c.ping = time.AfterFunc(time.Second, c.processPing)
}

func (c *pinger) processPing() {
	c.mu.Lock()
	c.out++
	c.setPingTimer()
	c.mu.Unlock()
}

func (c *pinger) start() {
	c.mu.Lock()
	c.setPingTimer()
	c.mu.Unlock()
}

// The same helper without the documented contract, called once
// without the lock: reported.

type bareP struct {
	mu   sync.Mutex
	ping *time.Timer
	out  int // want out:`guarded\(mu\)`
}

func (c *bareP) arm() {
	c.ping = time.AfterFunc(time.Second, c.fire) // want `unsynchronized write to c.ping`
}

func (c *bareP) fire() {
	c.mu.Lock()
	c.out++
	c.arm()
	c.mu.Unlock()
}

func (c *bareP) start() { c.arm() }

// An undocumented helper called only from documented ones: the lock
// their callers hold is held at its accesses too.

type chained struct {
	mu   sync.Mutex
	tmr  *time.Timer // want tmr:`guarded\(mu\)`
	end  time.Time
	hits int // want hits:`guarded\(mu\)`
}

func (o *chained) reset(d time.Duration) {
	if o.tmr == nil {
		o.tmr = time.AfterFunc(d, o.check)
	}
	o.end = time.Now().Add(d)
}

// Lock should be held.
func (o *chained) track() { o.reset(time.Second) }

func (o *chained) check() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.hits++
	o.track()
}

// register hands track out as a function value: the analysis can no
// longer see all of track's callers, only its documented contract.
func (o *chained) register(hooks map[string]func()) { hooks["track"] = o.track }

// The helper's caller holds the lock, and the helper writes through a
// method of a field's own type: the method's writes are under the lock
// too (nats-server's msgBlock.clearCache calling ecache.Set).
type weakRef struct{ strong []byte }

func (w *weakRef) Set(b []byte) { w.strong = b } // want Set:`accesses\(w 0.strong\)`

type block struct {
	mu     sync.Mutex
	ctmr   *time.Timer // want ctmr:`guarded\(mu\)`
	ecache weakRef
}

func (b *block) resetTimer() {
	if b.ctmr == nil {
		b.ctmr = time.AfterFunc(time.Second, b.expire)
	} else {
		b.ctmr.Reset(time.Second)
	}
}

func (b *block) clearCache() {
	b.resetTimer()
	b.ecache.Set(nil)
}

func (b *block) expire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ecache.Set(nil)
}

func (b *block) load() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clearCache()
}

func (b *block) remove() {
	b.mu.Lock()
	b.clearCache()
	b.mu.Unlock()
}
