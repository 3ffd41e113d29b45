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
