package generics

import "sync"

type Set[T comparable] struct {
	mu sync.Mutex
	m  map[T]bool // want m:"guarded\\(mu\\)"
}

func (s *Set[T]) Add(v T) { // want Add:"accesses\\(r 0\\.m \\[\\(\\*generics\\.Set\\)\\.mu\\]; w 0\\.m\\{\\} \\[\\(\\*generics\\.Set\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.m[v] = true
	s.mu.Unlock()
}

func (s *Set[T]) Has(v T) bool { // want Has:"accesses\\(r 0\\.m; r 0\\.m\\{\\}\\)"
	return s.m[v] // want `unsynchronized read of s.m: \(\*Set\[T\]\).Has reads it without s.mu, which \(\*Set\[T\]\).Add writes holding it`
}

func (s *Set[T]) HasLocked2(v T) bool { // want HasLocked2:"accesses\\(r 0\\.m \\[\\(\\*generics\\.Set\\)\\.mu\\]; r 0\\.m\\{\\} \\[\\(\\*generics\\.Set\\)\\.mu\\]\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[v]
}

func Collect[T any](xs []T) []T { // want Collect:"accesses\\(r 0\\[\\]\\)"
	var out []T
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out = append(out, x) // want `unsynchronized write to out: goroutines running Collect\.func1 may run at once and each writes out`
		}()
	}
	wg.Wait()
	return out
}

func Map[T, U any](xs []T, f func(T) U) []U { // want Map:"accesses\\(r 0\\[\\]\\)"
	out := make([]U, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(x)
		}()
	}
	wg.Wait()
	return out
}

// An interface call on a value of a type parameter's type reaches no
// known method.
type pinger interface{ ping() }

func pingAll[T pinger](xs []T) {
	done := make(chan struct{})
	for _, x := range xs {
		var p pinger = x
		go func() {
			p.ping()
			done <- struct{}{}
		}()
	}
	for range xs {
		<-done
	}
}
