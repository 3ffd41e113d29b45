package closures

func helper(p *int) { *p = 1 }

func nested() {
	x := 0
	go func() { // want `spawn go nested\$1 reach\(helper,nested\$1\)`
		helper(&x)
	}()
	f := func() {
		go func() {}() // want `spawn go nested\$2\$1`
	}
	f()
}

func loopvar(xs []int) {
	for _, x := range xs {
		go func() { _ = x }() // want `spawn go loopvar\$1 many`
	}
}
