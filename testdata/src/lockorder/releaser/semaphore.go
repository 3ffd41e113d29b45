package releaser

import "sync"

// A mutex used as a one-shot signal: locked, its Unlock handed out as a
// callback, then locked again to wait for the callback (miekg/dns's
// tests). Locking it twice is the design.

type notifier struct{ onStart func() }

func (n *notifier) run() {
	if n.onStart != nil {
		n.onStart()
	}
}

func waitStarted(n *notifier) {
	waitLock := sync.Mutex{}
	waitLock.Lock()
	n.onStart = waitLock.Unlock
	go n.run()
	waitLock.Lock()
}

// The same without handing Unlock out: the second Lock waits for ever.
func waitForever(n *notifier) {
	var mu sync.Mutex
	mu.Lock()
	go n.run()
	mu.Lock() // want `double lock: mu locked while already held`
}
