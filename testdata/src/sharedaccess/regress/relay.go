package regress

// A three-stage pipeline: a feeder, a stage in the middle and the
// caller. The feeder reads the job's cursor before its first send; the
// middle stage sends on only what it received; the caller writes the
// cursor only after it received from the middle stage. The order passes
// through the middle goroutine.
type pipeJob struct{ cursor int }

func (j *pipeJob) goodRelay() int {
	in := make(chan int)
	out := make(chan int)
	go func() {
		defer close(in)
		c := j.cursor // ok: before the send that the middle stage relays
		for i := 0; i < 3; i++ {
			in <- c + i
		}
	}()
	go func() {
		defer close(out)
		for v := range in {
			out <- 2 * v
		}
	}()
	for v := range out {
		j.cursor = v
	}
	return j.cursor
}

// The feeder reads the cursor again after its sends: the caller's
// writes, after its receives, may run at the same time.
func (j *pipeJob) badReadAfterRelay() int {
	in := make(chan int)
	out := make(chan int)
	go func() {
		defer close(in)
		for i := 0; i < 3; i++ {
			in <- i
		}
		_ = j.cursor // want `unsynchronized read of j.cursor: the goroutine running \(\*pipeJob\)\.badReadAfterRelay\.func1 reads j.cursor, which \(\*pipeJob\)\.badReadAfterRelay writes after the go statement`
	}()
	go func() {
		defer close(out)
		for v := range in {
			out <- 2 * v
		}
	}()
	for v := range out {
		j.cursor = v
	}
	return j.cursor
}

// The middle stage does not wait for the feeder before it sends: it
// passes no order on.
func (j *pipeJob) badNoRelay() int {
	in := make(chan int, 1)
	out := make(chan int)
	go func() {
		c := j.cursor // want `unsynchronized read of j.cursor: the goroutine running \(\*pipeJob\)\.badNoRelay\.func1 reads j.cursor, which \(\*pipeJob\)\.badNoRelay writes after the go statement`
		in <- c
	}()
	go func() {
		out <- 1
		<-in
	}()
	j.cursor = <-out
	return j.cursor
}
