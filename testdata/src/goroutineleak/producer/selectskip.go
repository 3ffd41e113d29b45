package producer

import (
	"context"
	"errors"
	"os"
	"strconv"
)

// ---- The starter waits for a value or an error; the fetcher returns
// on one failure without reporting it.
func ParsePort(path string) (int, error) {
	vals := make(chan int)
	errs := make(chan error)
	go func() {
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		n, err := strconv.Atoi(string(b))
		if err != nil {
			errs <- err
			return
		}
		vals <- n
	}()
	select { // want `goroutine leak: the select in ParsePort blocks for ever when the goroutine returns without sending on or closing vals or errs`
	case n := <-vals:
		return n, nil
	case err := <-errs:
		return 0, err
	}
}

// Every path reports.
func ParsePortAll(path string) (int, error) {
	vals := make(chan int)
	errs := make(chan error)
	go func() {
		b, err := os.ReadFile(path)
		if err != nil {
			errs <- err
			return
		}
		n, err := strconv.Atoi(string(b))
		if err != nil {
			errs <- err
			return
		}
		vals <- n
	}()
	select {
	case n := <-vals:
		return n, nil
	case err := <-errs:
		return 0, err
	}
}

// The starter also gives up when its context ends.
func ParsePortCtx(ctx context.Context, path string) (int, error) {
	vals := make(chan int, 1)
	errs := make(chan error, 1)
	go func() {
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		n, err := strconv.Atoi(string(b))
		if err != nil {
			errs <- err
			return
		}
		vals <- n
	}()
	select {
	case n := <-vals:
		return n, nil
	case err := <-errs:
		return 0, err
	case <-ctx.Done():
		return 0, errors.New("canceled")
	}
}

// The error channel is closed on the way out, whatever the path.
func ParsePortClose(path string) (int, error) {
	vals := make(chan int, 1)
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		n, err := strconv.Atoi(string(b))
		if err != nil {
			errs <- err
			return
		}
		vals <- n
	}()
	select {
	case n := <-vals:
		return n, nil
	case err := <-errs:
		return 0, err
	}
}
