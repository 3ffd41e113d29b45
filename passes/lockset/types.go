package lockset

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Lock is one lock as seen from inside one function.
type Lock struct {
	// Key is the lock's identity inside the function: two Locks with
	// equal Key are the same mutex object. It is a canonical access path
	// ("p0.mu", "g:example.com/bank.registryMu", "f1.*.mu") and must not
	// be shown to users.
	Key string
	// Name is the Go expression for messages: "s.mu", "registryMu",
	// "c.inner.mu". A lock known only by class (see Unknown) is named by
	// its class without the import path: "Conn.mu".
	Name string
	// Class is stable across functions and packages; see the package
	// documentation: "(*example.com/bank.Bank).mu",
	// "example.com/bank.registryMu", or an anonymous "*sync.Mutex".
	Class string
	// Read reports whether the lock is held (or taken) for reading
	// (RLock, TryRLock).
	Read bool
	// Unknown reports that the lock cannot be named in this function: it
	// was taken by a callee through a path the caller cannot see (a local
	// of the callee, a map lookup). Its Key equals no other Key.
	Unknown bool
}

// Anonymous reports whether l's class is only the mutex type
// ("*sync.Mutex", "*sync.RWMutex", "*sync.Locker"), which lumps
// unrelated mutexes together.
func (l Lock) Anonymous() bool { return strings.HasPrefix(l.Class, "*") }

// Global reports whether l is a package-level variable (or a field path
// inside one without pointer loads): one object in the whole program.
func (l Lock) Global() bool {
	return strings.HasPrefix(l.Key, "g:") && !strings.Contains(l.Key, "*")
}

func (l Lock) String() string {
	if l.Read {
		return l.Name + "(r)"
	}
	return l.Name
}

// EventKind says what an Event does to a lock.
type EventKind int

const (
	// Acquire: the lock is held after the instruction (Lock, RLock, or a
	// call to a function that returns holding it).
	Acquire EventKind = iota
	// Release: the lock is not held after the instruction.
	Release
	// TryAcquire: TryLock/TryRLock; the lock is held only on the branch
	// where the call returned true. It never blocks.
	TryAcquire
	// Take: a callee acquires the lock and releases it before returning;
	// it may block on it while the caller's locks are held.
	Take
)

func (k EventKind) String() string {
	switch k {
	case Acquire:
		return "acquire"
	case Release:
		return "release"
	case TryAcquire:
		return "tryacquire"
	case Take:
		return "take"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one acquisition or release in a function, directly or
// through a call.
type Event struct {
	Instr ssa.Instruction // the call (to sync or to a callee with a summary)
	Lock  Lock
	Kind  EventKind
	// HeldBefore are the locks held on every path reaching Instr.
	HeldBefore []Lock
	// Via is the call chain through which a callee acquires or releases
	// Lock, outermost first ("(*bank.Bank).lock"); empty for a direct
	// sync call.
	Via []string
	// Deferred reports a deferred call's effect, which happens at return.
	Deferred bool
	// AtReturn, for a Deferred acquisition or take, are the locks held on
	// every path when the deferred call runs (after the deferred calls
	// registered later have run); nil when no return runs it.
	AtReturn []Lock
	// Maybe reports a Take that the callee makes on some paths only.
	Maybe bool
	// Fresh reports an acquisition of a lock of an object the function
	// made and has not yet handed to anyone (a constructor's x.mu): no
	// other goroutine can hold it or wait for it there.
	Fresh    bool
	atReturn bool // a deferred event that some return runs
	// retake: the function released this lock earlier on some path
	// without having acquired it (the caller's lock, taken again).
	retake bool
}

// Retake reports whether the event acquires a lock that the function
// released earlier on some path without acquiring it first: the caller's
// lock, retaken (as in func (b *B) Run() { mu.Unlock(); defer mu.Lock() }).
func (e Event) Retake() bool { return e.retake }

// Ref kinds: how a LockRef's root is reached from the function.
const (
	RefParam   = 0 // Index-th parameter (the receiver is parameter 0)
	RefGlobal  = 1 // package-level variable Global
	RefFreeVar = 2 // Index-th captured variable of a closure
	RefClass   = 3 // not nameable by the caller: only Class is known
)

// LockRef names a lock relative to a function, so that a caller can map
// it onto its own arguments.
type LockRef struct {
	Kind   int
	Index  int      // parameter or free variable index
	Global string   // "pkgpath.name" for RefGlobal
	Path   []string // field names, "*" for a pointer load, "[k]" for an index
	Class  string
	Read   bool
	// Maybe, in Takes: the lock is taken on some paths to return only.
	Maybe bool
	Via   []string // for Takes and Acquires through calls: the chain inside
}

func (r LockRef) String() string {
	var b strings.Builder
	switch r.Kind {
	case RefParam:
		fmt.Fprintf(&b, "%d", r.Index)
	case RefFreeVar:
		fmt.Fprintf(&b, "fv%d", r.Index)
	case RefGlobal:
		b.WriteString(shortPath(r.Global))
	case RefClass:
		b.WriteString("class " + ShortClass(r.Class))
	}
	if r.Kind != RefClass {
		for _, p := range r.Path {
			switch {
			case p == "*":
			case strings.HasPrefix(p, "["):
				b.WriteString(p)
			default:
				b.WriteString("." + p)
			}
		}
	}
	if r.Read {
		b.WriteString("(r)")
	}
	if r.Maybe {
		b.WriteString("?")
	}
	return b.String()
}

// identity names the lock a ref denotes, without its call chain.
func (r LockRef) identity() string {
	return fmt.Sprintf("%d|%d|%s|%s|%s|%t|%t", r.Kind, r.Index, r.Global, strings.Join(r.Path, "."), r.Class, r.Read, r.Maybe)
}

// Edge is an acquired-before pair inside one function: To was acquired
// (directly or by a callee) while From was held on every path.
type Edge struct {
	From, To LockRef
	Pos      string   // "file.go:line" of the acquisition of To
	Via      []string // calls through which To was acquired
}

func (e Edge) String() string {
	return fmt.Sprintf("%s->%s", e.From, e.To)
}

// Summary is what callers need to know about a function's locking. It is
// the fact exported for fn.Origin().
type Summary struct {
	// Acquires are held on every return and were not held on entry:
	// the function is a lock wrapper.
	Acquires []LockRef
	// Releases are released on every return without having been acquired
	// in the function: the caller's lock is unlocked.
	Releases []LockRef
	// Reacquires are held on every return, but the function released
	// them first on some path (func (s *S) wait() { s.mu.Unlock(); ...;
	// s.mu.Lock() }): the caller's lock is released and retaken.
	Reacquires []LockRef
	// Takes are acquired and released inside, directly or by callees
	// (transitively); a call may block on each of them.
	Takes []LockRef
	// Edges are the acquired-before pairs the function creates itself
	// (including through its callees' Acquires and Takes); the edges
	// inside its callees are in their own summaries.
	Edges []Edge
	// Leaks are held on some return paths only, left held by a path
	// that skipped the release which other paths make (a missing Unlock
	// before an early return or break). A caller cannot tell whether the
	// lock is still held unless the function reports it in a result.
	Leaks []LockRef
	// MayReleases are released on some return paths only, without having
	// been acquired in the function: a helper that unlocks the caller's
	// lock when a flag says it is held. It settles a Leak of that lock.
	MayReleases []LockRef
	// Truncated reports that Takes or Edges hit their cap.
	Truncated bool
}

// Caps that keep facts small.
const (
	MaxRefs  = 32
	MaxEdges = 48
	maxVia   = 4
)

func (*Summary) AFact() {}

// String is stable and used by fact tests:
// "acquires(0.mu) releases(0.mu) takes(pkg.g) edges(0.a->0.b)".
func (s *Summary) String() string {
	var parts []string
	list := func(name string, refs []LockRef) {
		if len(refs) == 0 {
			return
		}
		var ss []string
		for _, r := range refs {
			ss = append(ss, r.String())
		}
		parts = append(parts, name+"("+strings.Join(ss, ", ")+")")
	}
	list("acquires", s.Acquires)
	list("releases", s.Releases)
	list("reacquires", s.Reacquires)
	list("takes", s.Takes)
	list("leaks", s.Leaks)
	list("mayreleases", s.MayReleases)
	if len(s.Edges) > 0 {
		var ss []string
		for _, e := range s.Edges {
			ss = append(ss, e.String())
		}
		parts = append(parts, "edges("+strings.Join(ss, ", ")+")")
	}
	if s.Truncated {
		parts = append(parts, "truncated")
	}
	return strings.Join(parts, " ")
}

// empty reports whether s says nothing.
func (s *Summary) empty() bool {
	return len(s.Acquires) == 0 && len(s.Releases) == 0 && len(s.Reacquires) == 0 && len(s.Takes) == 0 && len(s.Edges) == 0 && len(s.Leaks) == 0 && len(s.MayReleases) == 0
}

// userVisible returns the part of a standard-library function's
// summary that matters to code of other packages: the locks that code
// could take itself, through exported fields and globals or the locks
// it passes in. A lock inside the standard library's own state (an
// unexported field) meets the user's locks in no cycle that these
// summaries can show, since the library takes no lock of the user's
// while it holds one of its own, except through interfaces and
// callbacks, which its summaries do not follow; and yet those locks made
// up nearly all of the library's summaries, each re-exported by every
// unit that imports it (issue 18).
func (s *Summary) userVisible() *Summary {
	keep := func(refs []LockRef) []LockRef {
		var out []LockRef
		for _, r := range refs {
			if r.nameable() {
				out = append(out, r)
			}
		}
		return out
	}
	v := &Summary{
		Acquires: keep(s.Acquires), Releases: keep(s.Releases), Reacquires: keep(s.Reacquires),
		Takes: keep(s.Takes), Leaks: keep(s.Leaks), MayReleases: keep(s.MayReleases), Truncated: s.Truncated,
	}
	for _, e := range s.Edges {
		if e.From.nameable() && e.To.nameable() {
			v.Edges = append(v.Edges, e)
		}
	}
	return v
}

// nameable reports whether code of another package can name the lock r
// denotes: through exported fields (or pointers and elements) of a
// parameter, a captured variable or an exported global, or, for a ref
// known only by class, a class whose field is exported.
func (r LockRef) nameable() bool {
	switch r.Kind {
	case RefClass:
		i := strings.LastIndexByte(r.Class, '.')
		return i >= 0 && token.IsExported(r.Class[i+1:])
	case RefGlobal:
		if i := strings.LastIndexByte(r.Global, '.'); i < 0 || !token.IsExported(r.Global[i+1:]) {
			return false
		}
	}
	for _, p := range r.Path {
		if p != "*" && !strings.HasPrefix(p, "[") && !token.IsExported(p) {
			return false
		}
	}
	return true
}

// normalize sorts and deduplicates, and applies the caps.
func (s *Summary) normalize() {
	s.Acquires = sortRefs(s.Acquires)
	s.Releases = sortRefs(s.Releases)
	s.Reacquires = sortRefs(s.Reacquires)
	s.Takes = sortRefs(s.Takes)
	s.Leaks = sortRefs(s.Leaks)
	s.MayReleases = sortRefs(s.MayReleases)
	if len(s.Takes) > MaxRefs {
		s.Takes = s.Takes[:MaxRefs]
		s.Truncated = true
	}
	type keyedEdge struct {
		e                  Edge
		from, to, fid, tid string
	}
	ks := make([]keyedEdge, len(s.Edges))
	for i, e := range s.Edges {
		fid, tid := e.From.identity(), e.To.identity()
		ks[i] = keyedEdge{e, fid + "|" + strings.Join(e.From.Via, ">"), tid + "|" + strings.Join(e.To.Via, ">"), fid, tid}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.from != b.from {
			return a.from < b.from
		}
		if a.to != b.to {
			return a.to < b.to
		}
		return a.e.Pos < b.e.Pos
	})
	var out []Edge
	for i, k := range ks {
		if i > 0 && k.fid == ks[i-1].fid && k.tid == ks[i-1].tid {
			continue // keep the first position of each pair
		}
		out = append(out, k.e)
	}
	s.Edges = out
	if len(s.Edges) > MaxEdges {
		s.Edges = s.Edges[:MaxEdges]
		s.Truncated = true
	}
}

// sortRefs sorts refs and keeps one per lock (the first call chain).
func sortRefs(refs []LockRef) []LockRef {
	if len(refs) == 0 {
		return nil
	}
	// Each key is built once: building them inside the comparison was a
	// tenth of a large package's CPU.
	type keyed struct {
		ref           LockRef
		key, identity string
	}
	ks := make([]keyed, len(refs))
	for i, r := range refs {
		id := r.identity()
		ks[i] = keyed{r, id + "|" + strings.Join(r.Via, ">"), id}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := refs[:0]
	for i, k := range ks {
		if i > 0 && ks[i-1].identity == k.identity {
			continue
		}
		out = append(out, k.ref)
	}
	return out
}

// ShortClass drops import paths from a class for messages:
// "(*example.com/bank.Bank).mu" becomes "(*bank.Bank).mu".
func ShortClass(class string) string {
	var b strings.Builder
	for i := 0; i < len(class); {
		// Find the next identifier-ish run containing '/'.
		j := i
		for j < len(class) && !strings.ContainsRune("()*[]{}, ;", rune(class[j])) {
			j++
		}
		if j == i {
			b.WriteByte(class[i])
			i++
			continue
		}
		b.WriteString(shortPath(class[i:j]))
		i = j
	}
	return b.String()
}

// shortPath turns "example.com/bank.Bank.mu" into "bank.Bank.mu".
func shortPath(s string) string {
	if k := strings.LastIndex(s, "/"); k >= 0 {
		return s[k+1:]
	}
	return s
}

// ClassName is how messages name a class: "Bank.mu" for a field class,
// "registryMu" or "bank.registryMu" for a global (qualified unless it is
// in package pkgPath), "sync.Mutex" for an anonymous class.
func ClassName(class, pkgPath string) string {
	if strings.HasPrefix(class, "(") {
		// (*path.T).f  ->  T.f
		end := strings.Index(class, ")")
		inner := strings.TrimPrefix(class[1:end], "*")
		if k := strings.LastIndex(inner, "."); k >= 0 && !strings.Contains(inner, "{") {
			inner = inner[k+1:]
		}
		return inner + class[end+1:]
	}
	if strings.HasPrefix(class, "*") {
		return class[1:]
	}
	if pkgPath != "" && strings.HasPrefix(class, pkgPath+".") {
		return class[len(pkgPath)+1:]
	}
	return shortPath(class)
}
