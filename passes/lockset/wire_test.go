package lockset_test

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
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

// TestWireBytes pins the wire form of wireSample, so that a change to
// how GobEncode builds its tables cannot change the bytes it writes
// without a new wireVersion.
func TestWireBytes(t *testing.T) {
	const want = "0112026d7515282a6578616d706c652e636f6d2f612e54292e6d75116578616d706c652e636f6d2f612e72656709612e6c6f636b526567012a05696e6e6572035b6b5d1b282a6578616d706c652e636f6d2f622e55292e696e6e65722e6d750b2a73796e632e4d7574657803612e6201780161016207612e676f3a313208612e68656c7065720b282a612e54292e6c6f636b07612e676f3a313400080000000100020000000000010002010001000300030001030100030003020103020400030405060800000301000009000000000001090b0000000000020b0c0b000001000101010206000304050607010401050300020e020e0f000411000500000001"
	b, err := wireSample().GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(b); got != want {
		t.Errorf("wire form of wireSample:\n got %s\nwant %s", got, want)
	}
}

// TestWireDistinctRefs checks that refs which differ in one field, in
// where a list splits its strings, or in which field holds a string,
// stay distinct in the wire form's table of refs.
func TestWireDistinctRefs(t *testing.T) {
	refs := []lockset.LockRef{
		{Kind: lockset.RefParam, Path: []string{"a", ""}},
		{Kind: lockset.RefParam, Path: []string{"a"}},
		{Kind: lockset.RefParam, Path: []string{"", "a"}},
		{Kind: lockset.RefParam, Path: []string{"ab"}},
		{Kind: lockset.RefParam, Path: []string{"a", "b"}},
		{Kind: lockset.RefParam, Via: []string{"a", "b"}},
		{Kind: lockset.RefParam, Class: "a"},
		{Kind: lockset.RefGlobal, Global: "a"},
		{Kind: lockset.RefGlobal, Global: "a", Read: true},
		{Kind: lockset.RefGlobal, Global: "a", Maybe: true},
		{Kind: lockset.RefParam, Index: 1},
		{Kind: lockset.RefParam, Index: -1},
		{Kind: lockset.RefFreeVar, Index: 1},
	}
	s := &lockset.Summary{Takes: refs, Edges: []lockset.Edge{{From: refs[0], To: refs[1]}, {From: refs[1], To: refs[0]}}}
	b, err := s.GobEncode()
	if err != nil {
		t.Fatal(err)
	}
	var got lockset.Summary
	if err := got.GobDecode(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, s) {
		t.Errorf("round trip:\n got %#v\nwant %#v", &got, s)
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
