package races

import (
	"errors"
	"sync"
)

// BadFirstError runs every job in its own goroutine and returns an
// error if one failed. All goroutines assign the err variable of the
// enclosing function: the writes race, and a late nil can hide a
// failure.
func BadFirstError(jobs []func() error) error {
	var err error
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err = job() // race: BadFirstError
		}()
	}
	wg.Wait()
	return err
}

// GoodErrorsSlice partitions the results: goroutine i writes only
// errs[i], and the errors are joined after Wait.
func GoodErrorsSlice(jobs []func() error) error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = job()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// GoodErrorsMutex keeps the first failure under a mutex.
func GoodErrorsMutex(jobs []func() error) error {
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := job(); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// GoodErrorsChannel has each goroutine send its result to the caller,
// which alone reads and keeps them.
func GoodErrorsChannel(jobs []func() error) error {
	results := make(chan error, len(jobs))
	for _, job := range jobs {
		go func() {
			results <- job()
		}()
	}
	var errs []error
	for range jobs {
		errs = append(errs, <-results)
	}
	return errors.Join(errs...)
}
