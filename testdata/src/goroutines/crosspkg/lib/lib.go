package lib

func Go(f func()) { // want Go:"spawns\\(0\\)"
	go f()
}

func Each[T any](xs []T, f func(T)) { // want Each:"spawns\\(1\\)"
	for _, x := range xs {
		go f(x)
	}
}

func Call(f func()) { f() }
