package regress

import "net/http"

// A handler that the program registers on the default mux runs once per
// request, at once for requests that overlap: its unlocked counter
// races with itself.
var served int

func registerCounter() {
	http.HandleFunc("/count", func(w http.ResponseWriter, r *http.Request) {
		served++ // want `unsynchronized write to served: concurrent calls of handler registerCounter.func1 may run at once`
	})
}
