// Package rangefunc: a later Lock after a call whose range-over-func
// body unlocks and returns is not a double lock.
package rangefunc

import (
	"strings"
	"sync"
)

type Table struct {
	mu   sync.Mutex
	rows map[string]int
	n    int
}

func (t *Table) find(text string) int {
	t.mu.Lock()
	for w := range strings.SplitSeq(text, ",") {
		if v, ok := t.rows[w]; ok {
			t.mu.Unlock()
			return v
		}
	}
	t.mu.Unlock()
	return -1
}

// goodLockAfterFind: find releases t.mu on every path.
func (t *Table) goodLockAfterFind(text string) int {
	v := t.find(text)
	t.mu.Lock()
	t.n += v
	t.mu.Unlock()
	return v
}

func (t *Table) findLeaky(text string) int {
	t.mu.Lock()
	for w := range strings.SplitSeq(text, ",") {
		if v, ok := t.rows[w]; ok {
			return v
		}
	}
	t.mu.Unlock()
	return -1
}

// leakThenLock: findLeaky's early return keeps t.mu; lockorder does not
// report the Lock below a second time, with or without range-over-func.
func (t *Table) leakThenLock(text string) int {
	v := t.findLeaky(text)
	t.mu.Lock() // the root cause is findLeaky's return, which overlock reports
	t.n += v
	t.mu.Unlock()
	return v
}

func (t *Table) findLeakySlice(words []string) int {
	t.mu.Lock()
	for _, w := range words {
		if v, ok := t.rows[w]; ok {
			return v
		}
	}
	t.mu.Unlock()
	return -1
}

// leakThenLockSlice: the slice twin of leakThenLock.
func (t *Table) leakThenLockSlice(words []string) int {
	v := t.findLeakySlice(words)
	t.mu.Lock() // as in badLockAfterLeak: reported at the return by overlock
	t.n += v
	t.mu.Unlock()
	return v
}
