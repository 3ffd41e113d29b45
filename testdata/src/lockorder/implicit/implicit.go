package implicit

// Locks taken by calls the source does not show: the String and Error
// methods that fmt calls on its operands. (log.Printf's own lock is the
// library's internal state: no edge to it is exported, as it closes no
// cycle these checks can see.)

import (
	"fmt"
	"log"
	"sync"
)

type Table struct {
	mu   sync.RWMutex
	rows map[string]int
}

// String reads the table under its own read lock.
func (t *Table) String() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return fmt.Sprint(len(t.rows))
}

// BAD: %v calls t.String, which read-locks t.mu a second time.
func (t *Table) Dump() {
	t.mu.RLock()
	defer t.mu.RUnlock()
	log.Printf("table %v", t) // want `recursive read lock: log.Printf read-locks t.mu while it is read-locked`
}

// GOOD: %d never calls String.
func (t *Table) Size() {
	t.mu.RLock()
	defer t.mu.RUnlock()
	log.Printf("table of %d rows", len(t.rows))
}

// GOOD: formatted after the unlock.
func (t *Table) DumpLater() {
	t.mu.RLock()
	n := len(t.rows)
	t.mu.RUnlock()
	fmt.Println(t, n)
}

type failure struct {
	mu  sync.Mutex
	msg string
}

func (f *failure) Error() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msg
}

// BAD: wrapping the error calls f.Error while f.mu is held.
func (f *failure) wrap() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Errorf("wrapped: %s", f) // want `double lock: fmt.Errorf locks f.mu while it is already held`
}

// GOOD: the message is read under the lock, formatted as a plain string.
func (f *failure) wrapOK() error {
	f.mu.Lock()
	msg := f.msg
	f.mu.Unlock()
	return fmt.Errorf("wrapped: %s", msg)
}

// Once.Do runs its function before it returns.
type Config struct {
	mu     sync.Mutex
	once   sync.Once
	values map[string]string
}

func (c *Config) load() {
	c.mu.Lock()
	c.values = map[string]string{}
	c.mu.Unlock()
}

// BAD: the first Get runs load under c.mu, and load locks c.mu.
func (c *Config) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.once.Do(c.load) // want `double lock: \(\*sync.Once\).Do locks c.mu while it is already held`
	return c.values[k]
}

// GOOD: the one-time load runs before c.mu is taken.
func (c *Config) GetOK(k string) string {
	c.once.Do(func() { c.load() })
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.values[k]
}
