package basic

import "errors"

// Each worker sends its one outcome on one of two channels, a result or
// an error; the caller takes the first and returns. The workers still
// sending then block for ever.
func firstOfEither(urls []string, get func(string) (string, error)) (string, error) {
	res := make(chan string)
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			s, err := get(u)
			if err != nil {
				errc <- err
				return
			}
			res <- s // want `goroutine leak: sends on res or errc from the goroutines started in a loop block for ever when firstOfEither returns before receiving them all`
		}()
	}
	select {
	case s := <-res:
		return s, nil
	case err := <-errc:
		return "", err
	}
}

// The same in a loop that returns in every iteration.
func firstOfEitherLoop(urls []string, get func(string) (string, error)) (string, error) {
	res := make(chan string)
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			s, err := get(u)
			if err != nil {
				errc <- err
				return
			}
			res <- s // want `goroutine leak: sends on res or errc from the goroutines started in a loop block for ever when firstOfEitherLoop returns before receiving them all`
		}()
	}
	for range urls {
		select {
		case s := <-res:
			return s, nil
		case err := <-errc:
			return "", err
		}
	}
	return "", errors.New("no urls")
}

// Buffers with room for every worker's outcome: no worker blocks.
func firstOfEitherBuffered(urls []string, get func(string) (string, error)) (string, error) {
	res := make(chan string, len(urls))
	errc := make(chan error, len(urls))
	for _, u := range urls {
		go func() {
			s, err := get(u)
			if err != nil {
				errc <- err
				return
			}
			res <- s
		}()
	}
	for range urls {
		select {
		case s := <-res:
			return s, nil
		case err := <-errc:
			return "", err
		}
	}
	return "", errors.New("no urls")
}

// Every outcome received before returning: no worker is left.
func allOfEither(urls []string, get func(string) (string, error)) ([]string, error) {
	res := make(chan string)
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			s, err := get(u)
			if err != nil {
				errc <- err
				return
			}
			res <- s
		}()
	}
	var out []string
	var first error
	for range urls {
		select {
		case s := <-res:
			out = append(out, s)
		case err := <-errc:
			if first == nil {
				first = err
			}
		}
	}
	return out, first
}

// One worker, whose outcome on either channel is always taken.
func oneOfEither(get func() (string, error)) (string, error) {
	res := make(chan string)
	errc := make(chan error)
	go func() {
		s, err := get()
		if err != nil {
			errc <- err
			return
		}
		res <- s
	}()
	select {
	case s := <-res:
		return s, nil
	case err := <-errc:
		return "", err
	}
}
