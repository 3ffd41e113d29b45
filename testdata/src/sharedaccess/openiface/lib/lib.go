// Package lib is an assertion library: its exported TestingT interface
// has one implementation here (a collector), and its users pass their
// own (*testing.T), so a call through TestingT is not a call of the
// collector's method.
package lib

type TestingT interface {
	Errorf(format string, args ...any)
}

// Collect gathers errors; it is this package's only TestingT.
type Collect struct {
	errors []string
}

func (c *Collect) Errorf(format string, args ...any) { // want Errorf:"accesses\\(w 0.errors; r 0.errors; r 0.errors\\[\\]\\)"
	c.errors = append(c.errors, format)
}

// NoError reports err through t.
func NoError(t TestingT, err error) bool {
	if err != nil {
		t.Errorf("unexpected error")
		return false
	}
	return true
}

// reporter is unexported: the package's only implementation is the
// callee of every call through it.
type reporter interface {
	report(msg string)
}

type counter struct {
	n int
}

func (c *counter) report(msg string) { c.n++ } // want `unsynchronized write to c\.n: the goroutine running notify writes c\.n, which another goroutine running notify writes`

func notify(r reporter) { r.report("x") }

// Fanout calls notify from two goroutines on one counter: a race.
func Fanout() {
	c := &counter{}
	go notify(c)
	go notify(c)
}
