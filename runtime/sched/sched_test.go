package sched_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/syncvet/syncvet/runtime/internal/probe"
	"github.com/syncvet/syncvet/runtime/sched"
)

func TestGoroutineStackIsSmall(t *testing.T) {
	const n = 10000
	per := sched.StackPerGoroutine(n)
	t.Logf("%d parked goroutines: %.0f bytes of stack each", n, per)
	// A goroutine starts with a few KiB of stack (2 KiB on most
	// platforms, more under the race detector); an OS thread's default
	// stack is measured in MiB (8 MiB on Linux).
	if per <= 0 || per > 16<<10 {
		t.Errorf("%.0f bytes of stack per parked goroutine; want a few KiB", per)
	}
}

func TestBlockedGoroutinesShareFewThreads(t *testing.T) {
	scope := probe.NewScope()
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/status")
	}
	const n = 1000
	p, err := sched.NewPipes(n, false)
	if err != nil {
		t.Skipf("cannot open %d pipes: %v", n, err)
	}
	defer p.Close()
	wake := p.Block()
	scope.WaitCount(t, "sched.(*Pipes).Block", "IO wait", n)
	threads, err := sched.Threads()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d goroutines blocked reading pipes, %d OS threads", n, threads)
	if threads >= n/10 {
		t.Errorf("%d OS threads for %d goroutines blocked in I/O; want a few", threads, n)
	}
	if err := wake(); err != nil {
		t.Fatal(err)
	}
}

func TestBlockingSyscallsHoldThreads(t *testing.T) {
	scope := probe.NewScope()
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/status")
	}
	// The contrast: a read system call made directly on a blocking
	// descriptor keeps its thread in the kernel, so the runtime must
	// start another thread for the rest of the goroutines.
	const n = 64
	p, err := sched.NewPipes(n, true)
	if err != nil {
		t.Skipf("cannot open %d pipes: %v", n, err)
	}
	defer p.Close()
	wake := p.Block()
	scope.WaitCount(t, "sched.(*Pipes).Block", "syscall", n)
	threads, err := sched.Threads()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d goroutines blocked in read system calls, %d OS threads", n, threads)
	if threads < n {
		t.Errorf("%d OS threads for %d goroutines in blocking system calls; want at least one each", threads, n)
	}
	if err := wake(); err != nil {
		t.Fatal(err)
	}
}

func TestSpawnThreadCreatesThreads(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs thread ids (gettid)")
	}
	const n = 20
	done := make(chan int)
	threads := make(map[int]bool)
	for range n {
		threads[sched.SpawnThread(done, true)] = true
	}
	t.Logf("%d goroutines that exited locked ran on %d distinct threads", n, len(threads))
	if len(threads) < n-1 {
		t.Errorf("%d goroutines that exited locked ran on only %d distinct threads; want a new thread each", n, len(threads))
	}
	threads = make(map[int]bool)
	for range n {
		threads[sched.SpawnGoroutine(done, true)] = true
	}
	t.Logf("%d plain goroutines ran on %d distinct threads", n, len(threads))
	if len(threads) > n/2 {
		t.Errorf("%d plain goroutines ran on %d distinct threads; want threads reused", n, len(threads))
	}
}

// TestPingPong checks that PingPong makes its round trips, between free
// goroutines and between goroutines locked to their own threads, and
// leaves nothing running. PingPong's loop waits for one reply on an
// unbuffered channel after each of its n pings, and its partner replies
// once per ping it receives, so PingPong returns only after exactly n
// round trips: a lost hand-over would hang it, which the watchdog turns
// into a failure. Its partner goroutine must end once PingPong has
// closed the ping channel.
func TestPingPong(t *testing.T) {
	const n = 1000
	for _, c := range []struct {
		name   string
		locked bool
	}{{"goroutines", false}, {"locked-threads", true}} {
		t.Run(c.name, func(t *testing.T) {
			scope := probe.NewScope()
			done := make(chan struct{})
			go func() {
				defer close(done)
				sched.PingPong(n, c.locked)
			}()
			select {
			case <-done:
			case <-time.After(probe.Limit):
				t.Fatalf("PingPong(%d, %v) did not return within %v: a hand-over was lost", n, c.locked, probe.Limit)
			}
			deadline := time.Now().Add(probe.Limit)
			for {
				left := probe.In(scope.Goroutines(), "sched.PingPong")
				if len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d goroutines of PingPong(%d, %v) still running %v after it returned, first in [%s]:\n%s",
						len(left), n, c.locked, probe.Limit, left[0].State, left[0].Stack)
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
}
