package regress

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// A test that registers its handler on the default mux and makes its
// requests one at a time: each returns after the handler has answered,
// so two runs of the handler never overlap (as with a mux of its own).
type formRecorder struct{ got map[string]string }

func (r *formRecorder) record(w http.ResponseWriter, req *http.Request) {
	r.got["name"] = req.FormValue("name")
	w.Write([]byte("ok"))
}

func TestDefaultMuxSequential(t *testing.T) {
	srv := httptest.NewServer(nil)
	defer srv.Close()
	var rec *formRecorder
	http.HandleFunc("/record", func(w http.ResponseWriter, r *http.Request) { rec.record(w, r) })
	for _, name := range []string{"a", "b"} {
		rec = &formRecorder{got: map[string]string{}}
		resp, err := http.PostForm(srv.URL+"/record", url.Values{"name": {name}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if rec.got["name"] != name {
			t.Errorf("got %q", rec.got["name"])
		}
	}
}
