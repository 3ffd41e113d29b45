package regress

import (
	"sync"
	"time"
)

// ---- A select with a timer case waits a bounded time: holding a lock
// across it delays others at most until the timer fires, it does not
// stall them for ever (amqp091-go's notifyAll).

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
