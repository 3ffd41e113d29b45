package regress

import (
	"sync"
	"time"
)

// A deadline as net.Pipe keeps one: a timer whose callback closes the
// cancel channel. When Stop finds it fired, set waits under the lock for
// the callback to close the channel, which takes no lock and does
// nothing else: the wait is short.
type pipeDeadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
}

func (d *pipeDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel // the timer fired: wait for it to close cancel
	}
	d.timer = nil
	d.cancel = make(chan struct{})
	if dur := time.Until(t); dur > 0 {
		cancel := d.cancel
		d.timer = time.AfterFunc(dur, func() { close(cancel) })
	}
}

// The same, when the callback also takes the lock that set holds: the
// callback blocks on it and never closes the channel.
type lockedDeadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	fired  int
}

func (d *lockedDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel // want `d.mu held across blocking receive from d.cancel`
	}
	d.timer = nil
	d.cancel = make(chan struct{})
	if dur := time.Until(t); dur > 0 {
		cancel := d.cancel
		d.timer = time.AfterFunc(dur, func() {
			d.mu.Lock()
			d.fired++
			d.mu.Unlock()
			close(cancel)
		})
	}
}
