package producer

import "errors"

func fetchKey(k string) ([]byte, error) {
	if k == "" {
		return nil, errors.New("empty")
	}
	return []byte(k), nil
}

// The goroutine reports a failure on a channel of one slot, which
// cannot block, and returns: the starter, waiting only on res, blocks
// for ever.
func getOnlyResult(key string) []byte {
	res := make(chan []byte)
	errs := make(chan error, 1)
	go func() {
		b, err := fetchKey(key)
		if err != nil {
			errs <- err
			return
		}
		res <- b
	}()
	return <-res // want `goroutine leak: the receive from res in getOnlyResult blocks for ever when the goroutine returns without sending on res`
}

// The starter waits on both.
func getEither(key string) ([]byte, error) {
	res := make(chan []byte)
	errs := make(chan error, 1)
	go func() {
		b, err := fetchKey(key)
		if err != nil {
			errs <- err
			return
		}
		res <- b
	}()
	select {
	case b := <-res:
		return b, nil
	case err := <-errs:
		return nil, err
	}
}

// The error channel has no buffer: the goroutine waits there, and what
// it waits for may be what the starter does; not followed.
func getUnbufferedErr(key string, errs chan error) []byte {
	res := make(chan []byte)
	go func() {
		b, err := fetchKey(key)
		if err != nil {
			errs <- err
			return
		}
		res <- b
	}()
	return <-res
}
