package sched_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/syncvet/syncvet/runtime/internal/probe"
	"github.com/syncvet/syncvet/runtime/sched"
)

// BenchmarkSpawn measures starting a goroutine and waiting for it to
// run, against doing the same with a goroutine that exits locked to its
// thread (one OS thread created and destroyed per operation).
func BenchmarkSpawn(b *testing.B) {
	for _, c := range []struct {
		name  string
		spawn func(chan int, bool) int
	}{
		{"goroutine", sched.SpawnGoroutine},
		{"thread", sched.SpawnThread},
	} {
		b.Run(c.name, func(b *testing.B) {
			done := make(chan int)
			for b.Loop() {
				c.spawn(done, false)
			}
			// Untimed: the distinct threads that 100 more goroutines
			// ran on, per goroutine: about 1 for "thread", near 0 for
			// "goroutine".
			const sample = 100
			threads := make(map[int]bool)
			for range sample {
				threads[c.spawn(done, true)] = true
			}
			b.ReportMetric(float64(len(threads))/sample, "threads/op")
		})
	}
}

// BenchmarkPingPong measures one round trip (two switches) between two
// goroutines, free or each locked to its own OS thread.
func BenchmarkPingPong(b *testing.B) {
	for _, c := range []struct {
		name   string
		locked bool
	}{{"goroutines", false}, {"locked-threads", true}} {
		b.Run(c.name, func(b *testing.B) {
			b.ResetTimer()
			sched.PingPong(b.N, c.locked)
		})
	}
}

// BenchmarkStack parks goroutines in batches and reports the stack
// memory each one holds; ns/op is the cost of starting, parking and
// ending one goroutine (the garbage collections and memory statistics
// between batches are not timed).
func BenchmarkStack(b *testing.B) {
	const batch = 10000
	var stack float64 // bytes, summed over goroutines
	var before, after runtime.MemStats
	for n := b.N; n > 0; n -= batch {
		k := min(n, batch)
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		release := sched.Park(k)
		b.StopTimer()
		runtime.ReadMemStats(&after)
		b.StartTimer()
		release()
		stack += float64(int64(after.StackInuse) - int64(before.StackInuse))
	}
	b.ReportMetric(stack/float64(b.N), "stack-B/goroutine")
}

// BenchmarkBlockedIO blocks goroutines on pipe reads and reports how
// many OS threads the process has meanwhile: through the network poller
// (netpoll) and in raw blocking system calls (syscall). ns/op is one
// whole round of blocking and waking.
func BenchmarkBlockedIO(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/self/status")
	}
	for _, c := range []struct {
		name string
		n    int
		raw  bool
	}{{"netpoll", 1000, false}, {"syscall", 100, true}} {
		b.Run(c.name, func(b *testing.B) {
			p, err := sched.NewPipes(c.n, c.raw)
			if err != nil {
				b.Skip(err)
			}
			defer p.Close()
			maxThreads := 0
			for b.Loop() {
				wake := p.Block()
				for {
					// Let the readers start and block; then count.
					if waiting(c.raw) >= c.n {
						break
					}
					runtime.Gosched()
				}
				t, err := sched.Threads()
				if err != nil {
					b.Fatal(err)
				}
				maxThreads = max(maxThreads, t)
				if err := wake(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(maxThreads), "threads")
			b.ReportMetric(float64(c.n), "goroutines")
		})
	}
}

// waiting counts the pipe readers parked in I/O: in the network poller
// ("IO wait") or in a system call ("syscall").
func waiting(raw bool) int {
	state := "IO wait"
	if raw {
		state = "syscall"
	}
	n := 0
	for _, g := range probe.In(probe.Goroutines(), "sched.(*Pipes).Block") {
		if strings.HasPrefix(g.State, state) {
			n++
		}
	}
	return n
}
