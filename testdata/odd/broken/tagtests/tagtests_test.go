package tagtests

import "testing"

func TestWait(t *testing.T) {
	c := newTestCounter()
	done := make(chan struct{})
	close(done)
	c.Wait(done)
}
