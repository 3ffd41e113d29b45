package basic

// store is closed (unexported) and *disk is its one implementation.
type store interface{ Save() }

type disk struct{}

func (*disk) Save() {}

func Flush(s store) {
	s.Save() // want `Flush calls \(\*disk\).Save`
}

// sink has two implementations: no sole callee.
type sink interface{ Put() }

type a struct{}
type b struct{}

func (a) Put() {}
func (b) Put() {}

func Drain(s sink) {
	s.Put()
}

// Sink is exported by an importable package: its users implement it.
type Sink interface{ Put() }

func Export(s Sink) {
	s.Put()
}

// logger has one implementation of its own and one that only forwards
// to an embedded logger: the forwarder does not count.
type logger interface{ Log() }

type file struct{}

func (file) Log() {}

type prefixed struct{ logger }

func Note(l logger) {
	l.Log() // want `Note calls \(file\).Log`
}

// A function value stored in a field flows to its calls.
type job struct{ run func() }

func work() {}

func NewJob() *job { return &job{run: work} }

func (j *job) Do() {
	j.run() // want `\(\*job\).Do calls work`
}

// A callback handed down a parameter.
func each(f func()) {
	f() // want `each calls Start.func1`
}

func Start() {
	each(func() {})
}

var _ = prefixed{}

// A function value that only a test stores: the package's own call
// sites do not reach it (see basic_test.go).
type hooks struct{ onFlush func() }

func (h *hooks) flush() {
	h.onFlush()
}
