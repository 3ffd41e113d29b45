// Package signaluse orders a goroutine's write before the spawner's
// read through another package's helpers.
package signaluse

import "sharedaccess/crosspkg/signal"

type elector struct{ resigned bool }

// The goroutine writes, then fires; the spawner waits, then reads.
func ordered() bool {
	e := &elector{}
	s := signal.New()
	go func() {
		e.resigned = true
		s.Fire()
	}()
	s.Wait()
	return e.resigned
}

// The same with a channel handed to the helper.
func orderedChan() bool {
	e := &elector{}
	done := make(chan struct{})
	go func() {
		e.resigned = true
		close(done)
	}()
	signal.WaitFor(done)
	return e.resigned
}

// Reading before waiting is a race.
func unordered() bool {
	e := &elector{}
	s := signal.New()
	go func() {
		e.resigned = true // want `unsynchronized write to e.resigned`
		s.Fire()
	}()
	r := e.resigned
	s.Wait()
	return r
}

// A receive orders nothing for the sender's later code unless the
// channel is known to be unbuffered: the goroutine's read before Take
// and the spawner's write after Put race.
func bufferedNoRelease(log func(bool)) {
	e := &elector{}
	q := signal.NewQueue(4)
	go func() {
		log(e.resigned) // want `unsynchronized read of e.resigned: the goroutine running bufferedNoRelease.func1 reads e.resigned, which bufferedNoRelease writes after the go statement`
		q.Take()
	}()
	q.Put()
	e.resigned = true
}
