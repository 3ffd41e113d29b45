package sched

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
)

// SpawnGoroutine starts a goroutine and waits until it has run. With
// tid set it returns the id of the OS thread the goroutine ran on (a
// system call; 0 where the platform has none to give), else 0.
func SpawnGoroutine(done chan int, tid bool) int {
	go func() {
		id := 0
		if tid {
			id = gettid()
		}
		done <- id
	}()
	return <-done
}

// SpawnThread starts a goroutine that locks itself to its OS thread and
// exits locked, which makes the runtime terminate that thread; it waits
// until the goroutine has run and returns the id of its thread if tid
// is set. Called in a loop, every call costs one OS thread created and
// one destroyed: no two calls return the same id.
func SpawnThread(done chan int, tid bool) int {
	go func() {
		runtime.LockOSThread()
		id := 0
		if tid {
			id = gettid()
		}
		done <- id
		// No UnlockOSThread: the thread exits with the goroutine.
	}()
	return <-done
}

// PingPong passes a token between two goroutines n times there and
// back over unbuffered channels. With locked set, both goroutines are
// locked to their own OS threads, so every hand-over is a switch
// between threads done by the kernel.
func PingPong(n int, locked bool) {
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		if locked {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		for range ping {
			pong <- struct{}{}
		}
	}()
	if locked {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	for range n {
		ping <- struct{}{}
		<-pong
	}
	close(ping)
}

// Park starts n goroutines that block until release is called, and
// returns once all of them have started.
func Park(n int) (release func()) {
	gate := make(chan struct{})
	var started, exited sync.WaitGroup
	started.Add(n)
	exited.Add(n)
	for range n {
		go func() {
			defer exited.Done()
			started.Done()
			<-gate
		}()
	}
	started.Wait()
	return func() {
		close(gate)
		exited.Wait()
	}
}

// StackPerGoroutine parks n goroutines and returns the stack memory the
// runtime holds for each of them (the growth of MemStats.StackInuse,
// divided by n).
func StackPerGoroutine(n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	release := Park(n)
	runtime.ReadMemStats(&after)
	release()
	return float64(int64(after.StackInuse)-int64(before.StackInuse)) / float64(n)
}

// Threads returns the number of OS threads of this process, from
// /proc/self/status (Linux only).
func Threads() (int, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("Threads:")); ok {
			return strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	return 0, fmt.Errorf("no Threads line in /proc/self/status")
}
