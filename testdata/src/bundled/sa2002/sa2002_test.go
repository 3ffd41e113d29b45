package sa2002

import "testing"

func TestBad(t *testing.T) {
	done := make(chan bool)
	go func() { // want `the goroutine calls T.FailNow`
		defer close(done)
		if len(t.Name()) == 0 {
			t.FailNow()
		}
	}()
	<-done
}

func TestGood(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		if len(t.Name()) == 0 {
			t.Error("empty name") // reported and the goroutine goes on
		}
	}()
	<-done
	if t.Failed() {
		t.FailNow() // on the test's own goroutine
	}
}
