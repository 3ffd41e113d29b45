package generics

import "sync"

type Box[T any] struct {
	mu    sync.Mutex
	items chan T
	last  T
}

func (b *Box[T]) take() T { return <-b.items }

func (b *Box[T]) Bad() T {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.last = b.take() // want `b.mu held across blocking receive from b.items \(via \(\*Box\[T\]\).take\)`
	return b.last
}

func (b *Box[T]) Good() T { // ok: take before locking
	v := b.take()
	b.mu.Lock()
	b.last = v
	b.mu.Unlock()
	return v
}

func Recv[T any](ch <-chan T) T { return <-ch }

func BadInst(mu *sync.Mutex, ch chan int) int {
	mu.Lock()
	defer mu.Unlock()
	return Recv(ch) // want `mu held across blocking receive from ch \(via Recv\)`
}

func GoodInst(mu *sync.Mutex, ch chan int) int { // ok: receive outside
	v := Recv(ch)
	mu.Lock()
	v += len(ch)
	mu.Unlock()
	return v
}
