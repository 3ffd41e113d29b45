package nilchan

import "context"

// mergeBad turns off each case when its input closes, but nothing
// leaves the loop: once both are closed the select waits on two nil
// channels for ever, and close(out) never runs.
func mergeBad(a, b <-chan int, out chan<- int) {
	go func() {
		defer close(out)
		for {
			select { // want `goroutine leak: once a and b have been set to nil, this select waits on nil channels for ever: nothing leaves the loop around it`
			case v, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- v
			case v, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- v
			}
		}
	}()
}

// mergeGood loops while one input is still open.
func mergeGood(a, b <-chan int, out chan<- int) {
	go func() {
		defer close(out)
		for a != nil || b != nil {
			select {
			case v, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- v
			case v, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- v
			}
		}
	}()
}

// forwardBad: the same with the inputs as locals of one function.
func forwardBad(in <-chan string, sink func(string)) {
	for {
		select {
		case s, ok := <-in: // want `goroutine leak: once in has been set to nil, this receive waits on a nil channel for ever`
			if !ok {
				in = nil
				break
			}
			sink(s)
		}
	}
}

// forwardReturnGood returns when its last input closes.
func forwardReturnGood(a, b <-chan string, sink func(string)) {
	for {
		select {
		case s, ok := <-a:
			if !ok {
				a = nil
				if b == nil {
					return
				}
				continue
			}
			sink(s)
		case s, ok := <-b:
			if !ok {
				b = nil
				if a == nil {
					return
				}
				continue
			}
			sink(s)
		}
	}
}

// forwardCtxGood keeps a case the loop never turns off.
func forwardCtxGood(ctx context.Context, a <-chan string, sink func(string)) {
	for {
		select {
		case s, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			sink(s)
		case <-ctx.Done():
			return
		}
	}
}
