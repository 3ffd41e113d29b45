// Package unlocks: unlocking a lock the function already unlocked.
package unlocks

import "sync"

type Ledger struct {
	entriesMu sync.Mutex
	entries   map[string]int
	logMu     sync.Mutex
	log       []string
}

// Add unlocks entriesMu a second time where it meant logMu.
func (l *Ledger) Add(k string, n int) {
	l.entriesMu.Lock()
	l.entries[k] += n
	l.entriesMu.Unlock()

	l.logMu.Lock()
	l.log = append(l.log, k)
	l.entriesMu.Unlock() // want `double unlock: \(\*Ledger\)\.Add unlocks l\.entriesMu, which it already unlocked and has not locked again \(l\.logMu, held here, may be the lock meant\)`
}

// AddFixed releases each lock once.
func (l *Ledger) AddFixed(k string, n int) {
	l.entriesMu.Lock()
	l.entries[k] += n
	l.entriesMu.Unlock()

	l.logMu.Lock()
	l.log = append(l.log, k)
	l.logMu.Unlock()
}

// Each round locks and unlocks: the Unlock of the next round follows its
// own Lock.
func (l *Ledger) AddAll(ks []string) {
	for _, k := range ks {
		l.entriesMu.Lock()
		l.entries[k]++
		l.entriesMu.Unlock()
	}
}

// Relock unlocks, waits, and locks again before the second Unlock.
func (l *Ledger) Relock(k string) {
	l.entriesMu.Lock()
	n := l.entries[k]
	l.entriesMu.Unlock()
	_ = n
	l.entriesMu.Lock()
	l.entries[k] = n + 1
	l.entriesMu.Unlock()
}

// Early unlocks on one branch and at the end on the other.
func (l *Ledger) Early(k string) int {
	l.entriesMu.Lock()
	if n, ok := l.entries[k]; ok {
		l.entriesMu.Unlock()
		return n
	}
	l.entries[k] = 0
	l.entriesMu.Unlock()
	return 0
}

// unlockEntries releases the caller's lock: no unlock of its own before.
func (l *Ledger) unlockEntries() {
	l.entriesMu.Unlock()
}

// FlushEarly defers the unlock and also unlocks before the slow write
// on one path: the deferred Unlock then runs on an unlocked mutex.
func (l *Ledger) FlushEarly(w func(map[string]int)) {
	l.entriesMu.Lock()
	defer l.entriesMu.Unlock()
	if len(l.entries) > 100 {
		batch := l.entries
		l.entries = map[string]int{}
		l.entriesMu.Unlock()
		w(batch)
		return // want `double unlock: the deferred unlock of l.entriesMu runs when \(\*Ledger\).FlushEarly returns here, after l.entriesMu was already unlocked`
	}
	w(l.entries)
}

// FlushRelock unlocks for the slow write and locks again before the
// deferred Unlock runs.
func (l *Ledger) FlushRelock(w func(map[string]int)) {
	l.entriesMu.Lock()
	defer l.entriesMu.Unlock()
	batch := l.entries
	l.entries = map[string]int{}
	l.entriesMu.Unlock()
	w(batch)
	l.entriesMu.Lock()
}

// FlushFlag lets the deferred function check whether the body unlocked.
func (l *Ledger) FlushFlag(w func(map[string]int)) {
	l.entriesMu.Lock()
	locked := true
	defer func() {
		if locked {
			l.entriesMu.Unlock()
		}
	}()
	batch := l.entries
	l.entries = map[string]int{}
	l.entriesMu.Unlock()
	locked = false
	w(batch)
}

// FlushDeferRelock unlocks early and defers a Lock: the deferred Lock
// runs first, so the deferred Unlock finds the mutex held.
func (l *Ledger) FlushDeferRelock(w func(map[string]int)) {
	l.entriesMu.Lock()
	defer l.entriesMu.Unlock()
	batch := l.entries
	l.entriesMu.Unlock()
	defer l.entriesMu.Lock()
	w(batch)
}
