package regress

import (
	"sync"
	"time"
)

// ---- A send that gives up when a timer fires delays the lock's other
// users at most until then: the idiom for notifying listeners without
// stalling on a slow one (amqp091-go's notifyAll). Polling for an event
// under the lock until a deadline is still reported.

type listeners struct {
	mu   sync.RWMutex
	subs []chan int
}

// notify hands v to each subscriber, giving up on one after a second.
func (l *listeners) notify(v int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for _, c := range l.subs {
		select {
		case c <- v:
		case <-t.C:
		}
	}
}

// notifyAfter does the same with time.After.
func (l *listeners) notifyAfter(v int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, c := range l.subs {
		select {
		case c <- v:
		case <-time.After(time.Second):
		}
	}
}

// notifyForever has no timer: the lock is held until a subscriber
// receives.
func (l *listeners) notifyForever(v int, stop chan struct{}) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, c := range l.subs {
		select { // want `l.mu \(read\) held across blocking select without default`
		case c <- v:
		case <-stop:
		}
	}
}

// pollLive waits under the lock until ready reports true or the timer
// fires: the lock's other users wait as long.
func (l *listeners) pollLive(ready func() bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	for {
		select { // want `l.mu held across blocking select without default`
		case <-timer.C:
			return
		case <-tick.C:
			if ready() {
				return
			}
		}
	}
}
