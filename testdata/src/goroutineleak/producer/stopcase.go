package producer

import "errors"

type poller struct {
	stopCh chan struct{}
	n      int
}

func (p *poller) stop() { close(p.stopCh) }

// poll returns without answering only when its stop channel is closed:
// the stop that ends it is what ends its starter too.
func (p *poller) poll(done chan<- struct{}, errs chan<- error) {
	for {
		select {
		case <-p.stopCh:
			return
		default:
		}
		p.n++
		if p.n > 100 {
			errs <- errors.New("too many")
			return
		}
		if p.n%3 == 0 {
			close(done)
			return
		}
	}
}

func waitPoll() error {
	p := &poller{stopCh: make(chan struct{})}
	done := make(chan struct{})
	errs := make(chan error)
	go p.poll(done, errs)
	select {
	case <-done:
		return nil
	case err := <-errs:
		return err
	}
}

// pollQuiet also returns, without a word, when it finds nothing to do.
func (p *poller) pollQuiet(done chan<- struct{}, errs chan<- error) {
	for {
		select {
		case <-p.stopCh:
			return
		default:
		}
		p.n++
		if p.n > 100 {
			return
		}
		if p.n%3 == 0 {
			close(done)
			return
		}
	}
}

func waitPollQuiet() error {
	p := &poller{stopCh: make(chan struct{})}
	done := make(chan struct{})
	errs := make(chan error)
	go p.pollQuiet(done, errs)
	select { // want `goroutine leak: the select in waitPollQuiet blocks for ever when the goroutine returns without sending on or closing done or errs`
	case <-done:
		return nil
	case err := <-errs:
		return err
	}
}
