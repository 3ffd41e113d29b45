package regress

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
)

// The handler's writes come before its response, which the client call
// returns: reading them after the call is ordered.
func handlerThenGet() bool {
	called := false
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		called = true
		io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return called
}

// Reading before any request races with a handler the server may run.
func handlerNoRequest(srv *httptest.Server) int {
	hits := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits++ // want `unsynchronized write to hits`
	})
	srv.Config.Handler = mux
	return hits
}

// Routes filled after the handler is registered but before the server
// starts: no request can run the handler before they are set.
func routesBeforeServe() string {
	routes := map[string]string{}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, routes[r.URL.Path])
	})
	routes["/a"] = "A"
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/a")
	if err != nil {
		return ""
	}
	resp.Body.Close()
	return "ok"
}

// A listener that registers its handler in setup and sets the callback
// the handler calls in serve, before it listens.
type listener struct {
	establish func(string) error
	srv       *http.Server
}

func (l *listener) setup() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", l.handle)
	l.srv = &http.Server{Handler: mux}
}

func (l *listener) handle(w http.ResponseWriter, r *http.Request) {
	_ = l.establish(r.URL.Path)
}

func (l *listener) serve(establish func(string) error) error {
	l.establish = establish
	return l.srv.ListenAndServe()
}

// Routes filled while the server already serves race with requests.
func routesWhileServing() {
	routes := map[string]string{}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, routes[r.URL.Path]) // want `unsynchronized read of routes`
	})
	srv := &http.Server{Handler: mux}
	go srv.ListenAndServe()
	routes["/a"] = "A"
}

// A server started on a goroutine of its own (go srv.Serve(ln), or a
// method of the package that calls Serve): the code before the go
// statement runs before any request reaches a handler.
type tuned struct {
	srv   *http.Server
	limit int
}

func (t *tuned) serve(ln net.Listener) error { return t.srv.Serve(ln) }

func startTunedBeforeServe(ln net.Listener) *tuned {
	t := &tuned{srv: &http.Server{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.limit++
	})
	t.srv.Handler = mux
	t.limit = 10
	go t.serve(ln)
	return t
}

// Written after the server has started: a request may already run the
// handler.
func startTunedAfterServe(ln net.Listener) *tuned {
	t := &tuned{srv: &http.Server{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.limit++ // want `unsynchronized write to t.limit`
	})
	t.srv.Handler = mux
	go t.srv.Serve(ln)
	t.limit = 10
	return t
}

// A server of another kind (an HTTP/3 server) handed a net/http mux,
// started by a goroutine that calls its Serve method.
type h3Server struct {
	Handler  http.Handler
	Settings map[string]int
}

func (s *h3Server) Serve(ln net.Listener) error { return nil }

func startH3(ln net.Listener) *h3Server {
	s := &h3Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.Settings = map[string]int{"datagrams": 1}
	})
	s.Handler = mux
	s.Settings = map[string]int{}
	errs := make(chan error, 1)
	go func() { errs <- s.Serve(ln) }()
	return s
}
