package regress

import (
	"io"
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
