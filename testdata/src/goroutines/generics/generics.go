package generics

type Box[T any] struct{ v T }

func (b *Box[T]) Set(v T) { b.v = v }

func Run[T any](f func(T), v T) {
	go f(v) // want `spawn go \?`
}

func use(b *Box[int]) {
	Run(b.Set, 1) // want `spawn callback Set\$bound`
	go b.Set(2)   // want `spawn go Set`
}
