// Package timerdrain pairs the drain of a timer's channel after a
// failed Stop with the receives that can empty it first.
package timerdrain

import "time"

type debouncer struct {
	timer *time.Timer
	reset chan struct{}
	fire  func()
}

// badLoop receives the timer's value in one case and drains it in
// another: after the timer fires and its value is taken, the next reset
// finds Stop false and the channel empty.
func (d *debouncer) badLoop() {
	for {
		select {
		case <-d.timer.C:
			d.fire()
		case <-d.reset:
			if !d.timer.Stop() {
				<-d.timer.C // want `goroutine leak: the drain <-d.timer.C after a failed Stop blocks for ever once the timer's value has been received, as it is on the path to it`
			}
			d.timer.Reset(time.Second)
		}
	}
}

// goodLoopDefault drains without waiting.
func (d *debouncer) goodLoopDefault() {
	for {
		select {
		case <-d.timer.C:
			d.fire()
		case <-d.reset:
			if !d.timer.Stop() {
				select {
				case <-d.timer.C:
				default:
				}
			}
			d.timer.Reset(time.Second)
		}
	}
}

// goodLoopReset re-arms the timer whenever it takes its value: a later
// Stop that fails finds the new value waiting.
func (d *debouncer) goodLoopReset() {
	for {
		select {
		case <-d.timer.C:
			d.fire()
			d.timer.Reset(time.Second)
		case <-d.reset:
			if !d.timer.Stop() {
				<-d.timer.C
			}
			d.timer.Reset(time.Second)
		}
	}
}

// goodOnce stops a timer whose channel nothing else reads.
func goodOnce(d time.Duration, work func()) {
	t := time.NewTimer(d)
	work()
	if !t.Stop() {
		<-t.C
	}
}

// badLocal waits for the timer, then drains it again on the way out.
func badLocal(d time.Duration, done chan struct{}) {
	t := time.NewTimer(d)
	select {
	case <-t.C:
	case <-done:
	}
	if !t.Stop() {
		<-t.C // want `goroutine leak: the drain <-t.C after a failed Stop`
	}
}

// goodFreshEachRound makes a new timer each round: the drain is of a
// timer whose channel nothing has read yet.
func goodFreshEachRound(rounds int, d time.Duration) {
	for i := 0; i < rounds; i++ {
		t := time.NewTimer(d)
		if !t.Stop() {
			<-t.C
		}
		t.Reset(d)
		<-t.C
	}
}

type strategy struct {
	timer *time.Timer
	reset chan struct{}
}

func run(f func(done <-chan struct{})) { go f(nil) }

// badClosure is badLoop in a function literal run as a worker, with an
// empty timer case.
func (s *strategy) badClosure(d time.Duration) {
	s.timer = time.NewTimer(d)
	loop := func(done <-chan struct{}) {
		for {
			select {
			case <-s.timer.C:
			case <-s.reset:
				if !s.timer.Stop() {
					<-s.timer.C // want `goroutine leak: the drain <-s.timer.C after a failed Stop`
				}
				s.timer.Reset(d)
			case <-done:
				s.timer.Stop()
				return
			}
		}
	}
	run(loop)
}

// goodScheduleHelper re-arms the timer through a function literal after
// every value it receives, so the timer is armed and unread when the
// stop case drains it.
func goodScheduleHelper(next func() time.Duration, work func() error, done <-chan struct{}) {
	t := time.NewTimer(next())
	schedule := func() {
		t.Reset(next())
	}
	for {
		select {
		case <-t.C:
			if work() != nil {
				schedule()
				continue
			}
			schedule()
		case <-done:
			if !t.Stop() {
				<-t.C
			}
			return
		}
	}
}

// badScheduleHelper's literal only logs: nothing re-arms the timer
// after its value was received.
func badScheduleHelper(next func() time.Duration, work func() error, done <-chan struct{}) {
	t := time.NewTimer(next())
	logNext := func() {
		_ = next()
	}
	for {
		select {
		case <-t.C:
			if work() != nil {
				logNext()
				continue
			}
			logNext()
		case <-done:
			if !t.Stop() {
				<-t.C // want `goroutine leak: the drain <-t.C after a failed Stop`
			}
			return
		}
	}
}
