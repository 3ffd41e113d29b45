package use

import (
	"sharedaccess/crosspkg/lib"
	"sync"
)

func badHits(s *lib.Stats) int {
	return s.Hits // want `unsynchronized read of s.Hits: badHits reads it without s.mu, which guards it in package lib`
}

func goodHits(s *lib.Stats) int {
	return s.Snapshot()
}

func badCallback() int {
	n := 0
	lib.Async(func() {
		n = 1 // want `unsynchronized write to n: the goroutine running badCallback\.func1 writes n, which badCallback reads after starting it`
	})
	return n
}

func goodCallback() int {
	n := 0
	done := make(chan struct{})
	lib.Async(func() {
		n = 1
		close(done)
	})
	<-done
	return n
}

// A method of another package run on a goroutine.
func badMethod(w *lib.Worker) {
	go w.Run() // want `unsynchronized write to w\.N: the goroutine running \(\*Worker\)\.Run writes w\.N, which badMethod writes after the go statement`
	w.N = 0
}

func goodMethod(w *lib.Worker) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.Run()
	}()
	wg.Wait()
	w.N = 0
}

// A method of another package called on the goroutine: its Accesses
// fact says what it writes.
func badCalledMethod(w *lib.Worker) int {
	done := make(chan struct{})
	go func() {
		w.Run() // want `unsynchronized write to w\.N: the goroutine running badCalledMethod\.func1 writes w\.N, which badCalledMethod reads after the go statement`
		close(done)
	}()
	n := w.N
	<-done
	return n
}

func goodCalledMethod(w *lib.Worker) int {
	done := make(chan struct{})
	go func() {
		w.Run()
		close(done)
	}()
	<-done
	return w.N
}

// Locked methods of another package do not race with each other.
func goodLockedCalls(s *lib.Stats) int {
	go s.Hit()
	return s.Snapshot()
}

// The package of Sub reads Subject without its lock itself: users are
// not held to a stricter discipline.
func goodLooseGuard(s *lib.Sub) string {
	return s.Subject
}

// Close's write is published to Accept by closing stopped.
func goodClosePublishes() error {
	s := lib.NewServer()
	errc := make(chan error, 1)
	go func() { errc <- s.Accept() }()
	s.Close()
	return <-errc
}

// GOOD: Load sets Index whole and does not read it under mu: the setter
// of a getter and setter pair is no discipline for other packages.
func dumpTable(t *lib.Table) int {
	return len(t.Index)
}

// GOOD: showHits reads a Stats its only caller has just made and not
// yet handed to the goroutine that changes it.
func showHits(s *lib.Stats) int {
	return s.Hits
}

func startHits() *lib.Stats {
	s := &lib.Stats{}
	_ = showHits(s)
	go s.Hit()
	return s
}
