package lockset_test

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/syncvet/syncvet/passes/lockset"
)

// wireSample has every field of a Summary set, refs repeated across
// lists and edges, and refs that differ only in one field.
func wireSample() *lockset.Summary {
	a := lockset.LockRef{Kind: lockset.RefParam, Index: 0, Path: []string{"mu"}, Class: "(*example.com/a.T).mu"}
	ar := a
	ar.Read = true
	g := lockset.LockRef{Kind: lockset.RefGlobal, Global: "example.com/a.reg", Class: "example.com/a.reg", Via: []string{"a.lockReg"}}
	gm := g
	gm.Maybe = true
	fv := lockset.LockRef{Kind: lockset.RefFreeVar, Index: 2, Path: []string{"*", "inner", "[k]"}, Class: "(*example.com/b.U).inner.mu"}
	cl := lockset.LockRef{Kind: lockset.RefClass, Index: -1, Class: "*sync.Mutex"}
	dot := lockset.LockRef{Kind: lockset.RefParam, Path: []string{"a.b"}, Class: "x"}
	dot2 := lockset.LockRef{Kind: lockset.RefParam, Path: []string{"a", "b"}, Class: "x"}
	return &lockset.Summary{
		Acquires:    []lockset.LockRef{a},
		Releases:    []lockset.LockRef{ar},
		Reacquires:  []lockset.LockRef{g},
		Takes:       []lockset.LockRef{a, gm, fv, cl, dot, dot2},
		Leaks:       []lockset.LockRef{fv},
		MayReleases: []lockset.LockRef{cl},
		Edges: []lockset.Edge{
			{From: a, To: g, Pos: "a.go:12", Via: []string{"a.helper", "(*a.T).lock"}},
			{From: a, To: fv, Pos: "a.go:14"},
			{From: cl, To: a},
		},
		Truncated: true,
	}
}

// TestWireRoundTrip checks that the wire form of a Summary decodes to an
// equal Summary, and is smaller than its plain gob form.
func TestWireRoundTrip(t *testing.T) {
	for _, s := range []*lockset.Summary{wireSample(), {Takes: []lockset.LockRef{{Kind: lockset.RefClass, Class: "c"}}}} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(s); err != nil {
			t.Fatal(err)
		}
		var got lockset.Summary
		if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, s) {
			t.Errorf("round trip:\n got %#v\nwant %#v", &got, s)
		}
	}
	b, err := wireSample().GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	type plain lockset.Summary // no GobEncode: the field-by-field gob form
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode((*plain)(wireSample())); err != nil {
		t.Fatal(err)
	}
	if len(b) >= buf.Len()/2 {
		t.Errorf("wire form is %d bytes, plain gob %d", len(b), buf.Len())
	}
}

// TestWireMalformed checks that every truncation and corruption of a
// wire form is an error, never a panic.
func TestWireMalformed(t *testing.T) {
	b, err := wireSample().GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(b); i++ {
		var s lockset.Summary
		if s.GobDecode(b[:i]) == nil {
			t.Errorf("truncated to %d of %d bytes: no error", i, len(b))
		}
		c := bytes.Clone(b)
		c[i] = 0xff
		_ = s.GobDecode(c) // may decode to something else; must not panic
	}
	var s lockset.Summary
	if s.GobDecode(append(bytes.Clone(b), 0)) == nil {
		t.Error("trailing byte: no error")
	}
}
