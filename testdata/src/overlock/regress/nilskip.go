package regress

import (
	"io"
	"sync"
)

// A constructor that waits for earlier work only when it is given a
// writer: called with nil, the wait is skipped. Clean under the lock.

type streamEnc struct {
	wg sync.WaitGroup
	w  io.Writer
}

func newStreamEnc(w io.Writer) *streamEnc {
	e := &streamEnc{}
	if w != nil {
		e.reset(w)
	}
	return e
}

func (e *streamEnc) reset(w io.Writer) {
	e.wg.Wait()
	e.w = w
}

var (
	encMu     sync.Mutex
	sharedEnc *streamEnc
	encUses   int
)

func sharedEncoder() *streamEnc {
	encMu.Lock()
	defer encMu.Unlock()
	encUses++
	if sharedEnc == nil {
		sharedEnc = newStreamEnc(nil)
	}
	return sharedEnc
}

// Given a writer, it waits with the lock held.
func sharedEncoderTo(w io.Writer) *streamEnc {
	encMu.Lock()
	defer encMu.Unlock()
	encUses++
	sharedEnc = newStreamEnc(w) // want `encMu held across blocking call to e.wg.Wait`
	return sharedEnc
}
