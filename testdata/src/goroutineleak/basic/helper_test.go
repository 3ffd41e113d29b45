package basic

import (
	"errors"
	"testing"
)

type mockConn struct{}

// acceptMock fails the test itself when it cannot accept.
func acceptMock(t *testing.T, ok bool) (*mockConn, error) {
	if !ok {
		err := errors.New("no connection")
		t.Error(err)
		return nil, err
	}
	return &mockConn{}, nil
}

func dialMock(ok bool) (*mockConn, error) {
	if !ok {
		return nil, errors.New("no connection")
	}
	return &mockConn{}, nil
}

// TestServedByMock waits for a mock server goroutine that returns early
// only when a helper handed the test's T returned an error: the helper
// has failed the test.
func TestServedByMock(t *testing.T) {
	done := make(chan struct{})
	go func() {
		mock, err := acceptMock(t, true)
		if err != nil {
			return
		}
		_ = mock
		close(done)
	}()
	<-done
}

// TestServedByDial is the same with a helper that does not see the
// test: its error return skips the close silently.
func TestServedByDial(t *testing.T) {
	done := make(chan struct{})
	go func() {
		mock, err := dialMock(true)
		if err != nil {
			return
		}
		_ = mock
		close(done)
	}()
	<-done // want `goroutine leak: the receive from done in TestServedByDial blocks for ever when the goroutine returns without closing done`
}
