package closures

import (
	"errors"
	"sync"
)

// A goroutine that assigns the captured err of its starter, while the
// starter, past its own `if err != nil { return }`, assigns it too: the
// nil check makes the starter's write look like a lazy set-up, but the
// goroutine's write is unconditional.

func load(name string) ([]byte, error) {
	if name == "" {
		return nil, errors.New("empty")
	}
	return []byte(name), nil
}

func check(b []byte) error {
	if len(b) == 0 {
		return errors.New("short")
	}
	return nil
}

func badCapturedErrChecked(a, b string) error {
	data, err := load(a)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err = load(b) // want `unsynchronized write to err: the goroutine running badCapturedErrChecked\.func1 writes err, which badCapturedErrChecked writes after the go statement`
	}()
	err = check(data)
	wg.Wait()
	return err
}

// goodCapturedErrChecked gives the goroutine an error of its own.
func goodCapturedErrChecked(a, b string) error {
	data, err := load(a)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var loadErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, loadErr = load(b)
	}()
	err = check(data)
	wg.Wait()
	return errors.Join(err, loadErr)
}

// goodLazyCaptured sets a captured cache up on first use, beside a
// goroutine that only reads it after the same check.
func goodLazyCaptured(keys []string) int {
	var cache map[string]int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			if cache == nil {
				cache = map[string]int{}
			}
			cache[k]++
		}()
	}
	wg.Wait()
	return len(cache)
}
