package leaks

// Task is one unit of work; Run reports its failure.
type Task func() error

// BadRunAll runs the tasks in order on a producer goroutine and
// returns the first error. The producer sends every task's result,
// but the consumer's range loop returns at the first error: the next
// send has no receiver and the producer blocks for ever, the shape of
// the leak in the Go 1.26 release notes.
func BadRunAll(tasks []Task) error {
	errs := make(chan error)
	go func() {
		defer close(errs)
		for _, task := range tasks {
			errs <- task()
		}
	}()
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// GoodRunAll keeps the first error and drains the channel: the range
// loop ends only when the producer closes errs, after its last send.
func GoodRunAll(tasks []Task) error {
	errs := make(chan error)
	go func() {
		defer close(errs)
		for _, task := range tasks {
			errs <- task()
		}
	}()
	var first error
	for err := range errs {
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// GoodRunUntilError returns at the first error without waiting for
// the remaining tasks, and closes done on its way out: the producer
// sends in a select beside done and returns when the consumer is gone.
func GoodRunUntilError(tasks []Task) error {
	errs := make(chan error)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(errs)
		for _, task := range tasks {
			select {
			case errs <- task():
			case <-done:
				return
			}
		}
	}()
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
