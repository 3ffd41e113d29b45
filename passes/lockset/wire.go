package lockset

import (
	"encoding/binary"
	"errors"
)

// The wire form of a Summary. Drivers re-export a method's facts from
// every package that imports it (directly or not), so a Summary is
// written many times over; the plain gob form repeats each lock class,
// call chain and lock reference wherever it occurs (an edge repeats both
// its ends, which Takes already lists). The wire form writes each string
// and each reference once, in order of first use, and the lists as
// indices into those tables: the same Summary in a third to a quarter of
// the bytes, deterministic because the Summary is normalised.
//
//	version 1
//	strings:  n, then n × (len, bytes)
//	refs:     n, then n × (kind, zigzag index, global+1, path: k × string,
//	          class+1, flags (1 read, 2 maybe), via: k × string)
//	lists:    Acquires, Releases, Reacquires, Takes, Leaks, MayReleases,
//	          each k × ref
//	edges:    n × (from ref, to ref, pos+1, via: k × string)
//	truncated 0 or 1
//
// Every number is a uvarint; a string or ref is its table index (+1
// where the zero value is written as 0).
const wireVersion = 1

// GobEncode writes s in its wire form.
func (s *Summary) GobEncode() ([]byte, error) {
	var w wireWriter
	w.strIdx = map[string]int{}
	w.refIdx = map[string]int{}
	lists := [][]LockRef{s.Acquires, s.Releases, s.Reacquires, s.Takes, s.Leaks, s.MayReleases}
	// Build the tables in order of first use; w.order keeps each
	// reference's table index for the lists below, which visit the
	// references in the same order.
	for _, l := range lists {
		for _, r := range l {
			w.ref(r)
		}
	}
	for _, e := range s.Edges {
		w.ref(e.From)
		w.ref(e.To)
		w.str(e.Pos)
		for _, v := range e.Via {
			w.str(v)
		}
	}
	b := []byte{wireVersion}
	b = binary.AppendUvarint(b, uint64(len(w.strs)))
	for _, x := range w.strs {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	b = binary.AppendUvarint(b, uint64(len(w.refs)))
	for _, r := range w.refs {
		b = binary.AppendUvarint(b, uint64(r.Kind))
		b = binary.AppendVarint(b, int64(r.Index))
		b = w.appendOptStr(b, r.Global)
		b = w.appendStrs(b, r.Path)
		b = w.appendOptStr(b, r.Class)
		var flags uint64
		if r.Read {
			flags |= 1
		}
		if r.Maybe {
			flags |= 2
		}
		b = binary.AppendUvarint(b, flags)
		b = w.appendStrs(b, r.Via)
	}
	order := w.order
	for _, l := range lists {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for range l {
			b = binary.AppendUvarint(b, uint64(order[0]))
			order = order[1:]
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.Edges)))
	for _, e := range s.Edges {
		b = binary.AppendUvarint(b, uint64(order[0]))
		b = binary.AppendUvarint(b, uint64(order[1]))
		order = order[2:]
		b = w.appendOptStr(b, e.Pos)
		b = w.appendStrs(b, e.Via)
	}
	if s.Truncated {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	return b, nil
}

type wireWriter struct {
	strs   []string
	strIdx map[string]int
	refs   []LockRef
	refIdx map[string]int // by wireKey
	order  []int          // the table index of each reference visited, in order
	key    []byte         // scratch for wireKey
}

func (w *wireWriter) str(x string) int {
	if i, ok := w.strIdx[x]; ok {
		return i
	}
	w.strIdx[x] = len(w.strs)
	w.strs = append(w.strs, x)
	return len(w.strs) - 1
}

func (w *wireWriter) ref(r LockRef) {
	w.key = appendWireKey(w.key[:0], r)
	if i, ok := w.refIdx[string(w.key)]; ok {
		w.order = append(w.order, i)
		return
	}
	w.order = append(w.order, len(w.refs))
	w.refIdx[string(w.key)] = len(w.refs)
	w.refs = append(w.refs, r)
	if r.Global != "" {
		w.str(r.Global)
	}
	for _, p := range r.Path {
		w.str(p)
	}
	if r.Class != "" {
		w.str(r.Class)
	}
	for _, v := range r.Via {
		w.str(v)
	}
}

// appendWireKey appends to b a key that tells refs apart by every field:
// each number as a varint, each string and list with its length first,
// so that no two different refs have the same key.
func appendWireKey(b []byte, r LockRef) []byte {
	b = binary.AppendVarint(b, int64(r.Kind))
	b = binary.AppendVarint(b, int64(r.Index))
	b = appendKeyStr(b, r.Global)
	b = binary.AppendUvarint(b, uint64(len(r.Path)))
	for _, p := range r.Path {
		b = appendKeyStr(b, p)
	}
	b = appendKeyStr(b, r.Class)
	var flags byte
	if r.Read {
		flags |= 1
	}
	if r.Maybe {
		flags |= 2
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(len(r.Via)))
	for _, v := range r.Via {
		b = appendKeyStr(b, v)
	}
	return b
}

func appendKeyStr(b []byte, x string) []byte {
	b = binary.AppendUvarint(b, uint64(len(x)))
	return append(b, x...)
}

func (w *wireWriter) appendOptStr(b []byte, x string) []byte {
	if x == "" {
		return binary.AppendUvarint(b, 0)
	}
	return binary.AppendUvarint(b, uint64(w.str(x)+1))
}

func (w *wireWriter) appendStrs(b []byte, xs []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(xs)))
	for _, x := range xs {
		b = binary.AppendUvarint(b, uint64(w.str(x)))
	}
	return b
}

var errWire = errors.New("lockset: malformed Summary fact")

// GobDecode reads the wire form written by GobEncode.
func (s *Summary) GobDecode(data []byte) error {
	r := wireReader{b: data}
	if r.byte() != wireVersion {
		return errWire
	}
	n := r.count()
	strs := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		k := r.count()
		if r.err == nil {
			strs = append(strs, string(r.b[:k]))
			r.b = r.b[k:]
		}
	}
	optStr := func() string {
		i := r.uint()
		if i == 0 || r.err != nil {
			return ""
		}
		if i > uint64(len(strs)) {
			r.err = errWire
			return ""
		}
		return strs[i-1]
	}
	strList := func() []string {
		k := r.count()
		if k == 0 {
			return nil
		}
		out := make([]string, 0, k)
		for j := 0; j < k && r.err == nil; j++ {
			i := r.uint()
			if i >= uint64(len(strs)) {
				r.err = errWire
				return nil
			}
			out = append(out, strs[i])
		}
		return out
	}
	n = r.count()
	refs := make([]LockRef, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		var x LockRef
		x.Kind = int(r.uint())
		x.Index = int(r.int())
		x.Global = optStr()
		x.Path = strList()
		x.Class = optStr()
		flags := r.uint()
		x.Read, x.Maybe = flags&1 != 0, flags&2 != 0
		x.Via = strList()
		refs = append(refs, x)
	}
	ref := func() LockRef {
		i := r.uint()
		if i >= uint64(len(refs)) {
			r.err = errWire
			return LockRef{}
		}
		return refs[i]
	}
	refList := func() []LockRef {
		k := r.count()
		if k == 0 {
			return nil
		}
		out := make([]LockRef, 0, k)
		for j := 0; j < k && r.err == nil; j++ {
			out = append(out, ref())
		}
		return out
	}
	*s = Summary{}
	s.Acquires = refList()
	s.Releases = refList()
	s.Reacquires = refList()
	s.Takes = refList()
	s.Leaks = refList()
	s.MayReleases = refList()
	if k := r.count(); k > 0 {
		s.Edges = make([]Edge, 0, k)
		for j := 0; j < k && r.err == nil; j++ {
			var e Edge
			e.From = ref()
			e.To = ref()
			e.Pos = optStr()
			e.Via = strList()
			s.Edges = append(s.Edges, e)
		}
	}
	s.Truncated = r.byte() == 1
	if r.err == nil && len(r.b) != 0 {
		r.err = errWire
	}
	return r.err
}

type wireReader struct {
	b   []byte
	err error
}

func (r *wireReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errWire
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wireReader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errWire
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *wireReader) int() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errWire
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length, which cannot exceed the bytes left (every
// element takes at least one byte).
func (r *wireReader) count() int {
	v := r.uint()
	if v > uint64(len(r.b)) {
		r.err = errWire
		return 0
	}
	return int(v)
}
