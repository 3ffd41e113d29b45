package generics

type Queue[T any] struct {
	items chan T
}

func (q *Queue[T]) Pop() T { // want Pop:"blocks\\(receive from q.items\\)"
	return <-q.items
}

func (q *Queue[T]) Len() int { return len(q.items) } // ok: len does not block

func PopAll[T any](q *Queue[T], n int) []T { // want PopAll:"blocks\\(receive from q.items via \\(\\*generics.Queue\\[T\\]\\).Pop\\)"
	var out []T
	for i := 0; i < n; i++ {
		out = append(out, q.Pop())
	}
	return out
}

func Use(q *Queue[int]) int { // want Use:"blocks\\(receive from q.items via generics.PopAll → \\(\\*generics.Queue\\[T\\]\\).Pop\\)"
	return len(PopAll(q, 2))
}

func Send[T any](ch chan<- T, v T) { // want Send:"blocks\\(send on ch\\)"
	ch <- v
}

func SendInt(ch chan int) { // want SendInt:"blocks\\(send on ch via generics.Send\\)"
	Send(ch, 1)
}
