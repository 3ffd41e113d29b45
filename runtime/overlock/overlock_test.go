package overlock

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/syncvet/syncvet/runtime/internal/probe"
)

// The tests are in package overlock to reach each variant's mu and try
// it from a second goroutine while the first holds it, or not.

// heldDuring reports whether mu is held by someone else right now,
// trying it once and releasing it at once if the try succeeded.
func heldDuring(mu *sync.Mutex) bool {
	if mu.TryLock() {
		mu.Unlock()
		return false
	}
	return true
}

func TestBadBroker(t *testing.T) {
	scope := probe.NewScope()
	b := new(BadBroker)
	sub := b.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Publish("hello")
	}()
	scope.WaitState(t, "overlock.(*BadBroker).Publish", "chan send")
	if !heldDuring(&b.mu) {
		t.Error("TryLock succeeded while Publish was blocked sending; want mu held across the send")
	}
	if got := <-sub; got != "hello" {
		t.Errorf("received %q", got)
	}
	<-done
	if heldDuring(&b.mu) {
		t.Error("mu still held after Publish returned")
	}
}

func TestGoodBroker(t *testing.T) {
	scope := probe.NewScope()
	b := new(GoodBroker)
	sub := b.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Publish("hello")
	}()
	scope.WaitState(t, "overlock.(*GoodBroker).Publish", "chan send")
	if heldDuring(&b.mu) {
		t.Error("TryLock failed while Publish was blocked sending; want mu free")
	}
	if got := <-sub; got != "hello" {
		t.Errorf("received %q", got)
	}
	<-done
}

// failOnce returns an operation that fails on its first call only.
func failOnce() func() error {
	calls := 0
	return func() error {
		calls++
		if calls == 1 {
			return errors.New("unavailable")
		}
		return nil
	}
}

// backoff is long enough for the test to see the sleeping goroutine
// and try the lock, and short enough not to slow the run.
const backoff = 200 * time.Millisecond

func TestBadClient(t *testing.T) {
	scope := probe.NewScope()
	c := &BadClient{Backoff: backoff}
	done := make(chan error)
	go func() { done <- c.Do(failOnce()) }()
	scope.WaitState(t, "overlock.(*BadClient).Do", "sleep")
	if !heldDuring(&c.mu) {
		t.Error("TryLock succeeded while Do slept; want mu held across the sleep")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := c.Attempts(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

func TestGoodClient(t *testing.T) {
	scope := probe.NewScope()
	c := &GoodClient{Backoff: backoff}
	done := make(chan error)
	go func() { done <- c.Do(failOnce()) }()
	scope.WaitState(t, "overlock.(*GoodClient).Do", "sleep")
	if heldDuring(&c.mu) {
		t.Error("TryLock failed while Do slept; want mu free")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := c.Attempts(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

func TestBadPool(t *testing.T) {
	scope := probe.NewScope()
	p := new(BadPool)
	release := make(chan struct{})
	p.Go(func() int { <-release; return 1 })
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		p.Close()
	}()
	scope.WaitState(t, "overlock.(*BadPool).Close", "sync.WaitGroup.Wait")
	if !heldDuring(&p.mu) {
		t.Error("TryLock succeeded while Close waited; want mu held across Wait")
	}
	// The task now finishes and needs mu to store its result: Close
	// holds mu and waits for the task. Both stay blocked (leaked).
	close(release)
	w := probe.Watchdog{Scope: scope, Funcs: []string{"overlock.(*BadPool).Go"}}
	if w.Deadlocked(t, closed) == nil {
		t.Fatal("Close returned; want the task and Close deadlocked")
	}
}

func TestGoodPool(t *testing.T) {
	scope := probe.NewScope()
	p := new(GoodPool)
	release := make(chan struct{})
	p.Go(func() int { <-release; return 1 })
	closed := make(chan []int)
	go func() { closed <- p.Close() }()
	scope.WaitState(t, "overlock.(*GoodPool).Close", "sync.WaitGroup.Wait")
	if heldDuring(&p.mu) {
		t.Error("TryLock failed while Close waited; want mu free")
	}
	close(release)
	if got := <-closed; !slices.Equal(got, []int{1}) {
		t.Errorf("Close = %v, want [1]", got)
	}
}

func TestBadAccount(t *testing.T) {
	scope := probe.NewScope()
	a := new(BadAccount)
	a.Deposit(10)
	if err := a.Withdraw(20); err != ErrInsufficient {
		t.Fatalf("Withdraw(20) = %v, want ErrInsufficient", err)
	}
	if !heldDuring(&a.mu) {
		t.Fatal("mu free after the refused withdrawal; want it left locked")
	}
	// Every later call now blocks forever (this goroutine is leaked).
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Deposit(1)
	}()
	w := probe.Watchdog{Scope: scope, Funcs: []string{"overlock.(*BadAccount).Deposit"}}
	if w.Deadlocked(t, done) == nil {
		t.Fatal("Deposit returned; want it blocked on the leaked lock")
	}
}

func TestGoodAccount(t *testing.T) {
	a := new(GoodAccount)
	a.Deposit(10)
	if err := a.Withdraw(20); err != ErrInsufficient {
		t.Fatalf("Withdraw(20) = %v, want ErrInsufficient", err)
	}
	if heldDuring(&a.mu) {
		t.Fatal("mu still held after the refused withdrawal")
	}
	if err := a.Withdraw(10); err != nil {
		t.Fatal(err)
	}
}

func TestBadJournal(t *testing.T) {
	scope := probe.NewScope()
	j := new(BadJournal)
	done := make(chan struct{})
	go func() {
		defer close(done)
		j.AppendAll([][]string{{"a"}, {"b"}})
	}()
	w := probe.Watchdog{Scope: scope, Funcs: []string{"overlock.(*BadJournal).AppendAll"}}
	if w.Deadlocked(t, done) == nil {
		t.Fatal("AppendAll returned; want it blocked on its own deferred lock")
	}
}

func TestGoodJournal(t *testing.T) {
	j := new(GoodJournal)
	j.AppendAll([][]string{{"a"}, {"b", "c"}})
	if n := j.Len(); n != 3 {
		t.Errorf("Len = %d, want 3", n)
	}
}
