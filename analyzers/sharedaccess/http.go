package sharedaccess

import (
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// httpIOKey names the happens-before edge from an HTTP handler's run to
// the client call that receives its response.
const httpIOKey = "io:net/http"

// httpServeKey names the happens-before edge from the start of serving
// (or a request sent) to the handlers that a mux runs.
const httpServeKey = "serve:net/http"

// httpServes reports whether fn starts serving HTTP requests: net/http's
// Serve and ListenAndServe functions and methods (and their TLS
// variants), httptest's servers, and the Serve and ListenAndServe
// methods of other packages' servers (an HTTP/3 server handed a
// net/http mux).
func httpServes(fn *ssa.Function) bool {
	fn = ssax.Origin(fn)
	if fn.Signature.Recv() != nil {
		switch fn.Name() {
		case "Serve", "ServeTLS", "ListenAndServe", "ListenAndServeTLS", "ServeListener", "ServeQUICConn":
			return true
		}
	}
	if fn.Pkg == nil {
		return false
	}
	switch fn.Pkg.Pkg.Path() {
	case "net/http":
		switch fn.Name() {
		case "Serve", "ServeTLS", "ListenAndServe", "ListenAndServeTLS":
			return true
		}
	case "net/http/httptest":
		switch fn.Name() {
		case "NewServer", "NewTLSServer", "Start", "StartTLS":
			return true
		}
	}
	return false
}

// httpRoundTrip reports whether fn is a net/http client call that
// returns a server's response: http.Get, Post, Head and PostForm, and
// the http.Client methods of those names and Do.
func httpRoundTrip(fn *ssa.Function) bool {
	fn = ssax.Origin(fn)
	if fn.Pkg == nil || fn.Pkg.Pkg.Path() != "net/http" {
		return false
	}
	switch fn.Name() {
	case "Get", "Post", "Head", "PostForm":
		return true
	case "Do":
		return fn.Signature.Recv() != nil
	}
	return false
}
