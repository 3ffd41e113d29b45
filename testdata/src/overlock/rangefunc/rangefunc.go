// Package rangefunc holds locks released or kept inside the bodies of
// range-over-func loops (iter.Seq, strings.SplitSeq, maps.Keys), whose
// returns and breaks leave the loop through the iterator.
package rangefunc

import (
	"iter"
	"maps"
	"strings"
	"sync"
)

type Index struct {
	mu    sync.Mutex
	words map[string]int
	hits  int
}

// goodReturnAfterUnlock unlocks before returning from inside the body:
// no path leaves mu locked.
func (x *Index) goodReturnAfterUnlock(text string) int {
	x.mu.Lock()
	for w := range strings.SplitSeq(text, " ") {
		if n, ok := x.words[w]; ok {
			x.mu.Unlock()
			return n
		}
	}
	x.mu.Unlock()
	return -1
}

// goodBreakHoldingLock breaks out with mu held and unlocks after the loop.
func (x *Index) goodBreakHoldingLock() {
	for k := range maps.Keys(x.words) {
		x.mu.Lock()
		if k == "" {
			break
		}
		x.mu.Unlock()
		continue
	}
	x.mu.Unlock()
}

// goodNested returns from an inner loop with both loops ranging over
// functions.
func (x *Index) goodNested(rows iter.Seq[string]) bool {
	x.mu.Lock()
	for r := range rows {
		for w := range strings.FieldsSeq(r) {
			if w == "stop" {
				x.hits++
				x.mu.Unlock()
				return true
			}
		}
	}
	x.mu.Unlock()
	return false
}

// badReturnHoldingLock returns from inside the body without the unlock
// that the loop's normal end makes.
func (x *Index) badReturnHoldingLock(text string) int {
	x.mu.Lock()
	for w := range strings.SplitSeq(text, " ") {
		if n, ok := x.words[w]; ok {
			return n // want `return leaves x.mu locked`
		}
	}
	x.mu.Unlock()
	return -1
}

// sliceTwin is the same loop over a slice: silent, like the iterator
// form above.
func (x *Index) sliceTwin(words []string) int {
	x.mu.Lock()
	for _, w := range words {
		if n, ok := x.words[w]; ok {
			x.mu.Unlock()
			return n
		}
	}
	x.mu.Unlock()
	return -1
}

// badLockedInBody locks inside the body and returns from it holding
// the lock, which the loop's other iterations release.
func (x *Index) badLockedInBody(words iter.Seq[string], want string) int {
	for w := range words {
		x.mu.Lock()
		if w == want {
			return x.hits // want `return leaves x.mu locked`
		}
		x.hits++
		x.mu.Unlock()
	}
	return -1
}

// goodTwoExits leaves the body by a return that unlocks first and by a
// break that keeps the lock, which the code after the loop releases.
func (x *Index) goodTwoExits(words iter.Seq[string], want string) int {
	for w := range words {
		x.mu.Lock()
		if w == want {
			x.mu.Unlock()
			return 1
		}
		if w == "" {
			break
		}
		x.mu.Unlock()
	}
	x.mu.Unlock()
	return 0
}
