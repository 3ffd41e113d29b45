package ssax_test

import (
	"testing"

	"github.com/syncvet/syncvet/internal/ssax"
)

const resultSrc = `package p

type P struct {
	a, files chan int
}

func byPtr() (*P, <-chan int) {
	ch := make(chan int)
	return &P{files: ch}, ch
}

func byValue() (P, chan int) {
	ch := make(chan int)
	p := P{a: make(chan int), files: ch}
	return p, ch
}

func loaded() (*P, chan int, error) {
	p := &P{files: make(chan int)}
	return p, p.files, nil
}

func errPath(fail bool) (*P, chan int, error) {
	if fail {
		return nil, nil, nil
	}
	ch := make(chan int)
	return &P{files: ch}, ch, nil
}

func other() (*P, chan int) {
	return &P{files: make(chan int)}, make(chan int)
}

func twice() (*P, chan int) {
	ch := make(chan int)
	p := &P{files: ch}
	p.files = make(chan int)
	return p, ch
}
`

func TestResultField(t *testing.T) {
	pkg := buildSrc(t, resultSrc)
	for _, c := range []struct {
		fn     string
		k      int
		ok     bool
		j, fld int
	}{
		{"byPtr", 1, true, 0, 1},
		{"byValue", 1, true, 0, 1},
		{"loaded", 1, true, 0, 1},
		{"errPath", 1, true, 0, 1},
		{"other", 1, false, 0, 0},
		{"twice", 1, false, 0, 0},
		{"byPtr", 0, false, 0, 0},
	} {
		j, fld, ok := ssax.ResultField(pkg.Func(c.fn), c.k)
		if ok != c.ok || ok && (j != c.j || fld != c.fld) {
			t.Errorf("ResultField(%s, %d) = %d, %d, %v; want %d, %d, %v", c.fn, c.k, j, fld, ok, c.j, c.fld, c.ok)
		}
	}
}
