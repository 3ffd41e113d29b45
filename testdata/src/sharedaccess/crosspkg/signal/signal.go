// Package signal is a test helper: one goroutine fires, another waits
// for the firing, through a buffered channel inside the helper.
package signal

type Signal struct{ ch chan struct{} }

func New() *Signal { return &Signal{ch: make(chan struct{}, 8)} }

func (s *Signal) Fire() { s.ch <- struct{}{} } // want Fire:`accesses\(r 0\.ch; send 0\.ch\)`

func (s *Signal) Wait() { <-s.ch } // want Wait:`accesses\(r 0\.ch; recv 0\.ch\)`

// WaitFor receives from a channel its caller hands in.
func WaitFor(ch <-chan struct{}) { <-ch } // want WaitFor:`accesses\(recv 0\)`

// Queue's buffer is sized by its user: its capacity is unknown here.
type Queue struct{ ch chan struct{} }

func NewQueue(n int) *Queue { return &Queue{ch: make(chan struct{}, n)} }

func (q *Queue) Put() { q.ch <- struct{}{} } // want Put:`accesses\(r 0\.ch; send 0\.ch\)`

func (q *Queue) Take() { <-q.ch } // want Take:`accesses\(r 0\.ch; recv 0\.ch\)`
