package sharedaccess

import (
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Accesses is a fact on a function: the memory it reads and writes
// through its parameters and package-level variables, directly or
// through calls within its package, so that callers in other packages
// (and goroutines started there) can be checked against it.
type Accesses struct {
	List []Access
	// Syncs are the function's happens-before operations on channels
	// and WaitGroups reached from its parameters (a test helper that
	// waits for a signal, a method that sends one): a caller in another
	// package orders its accesses through them as through its own.
	Syncs []Sync
}

// Sync is one happens-before operation of an Accesses fact.
type Sync struct {
	Kind     goroutines.EventKind // EvSend, EvRecv, EvClose, EvDone or EvWait
	Param    int                  // parameter index (receiver first)
	Path     string               // key suffix after the parameter, as Access.Path
	Typ      string               // the object's type, for matching when a key is unknown
	Buffered bool                 // a channel not known to be unbuffered
}

// Access is one entry of an Accesses fact.
type Access struct {
	Param  int    // parameter index (receiver first), or -1 for a global
	Global string // "pkgpath.name" when Param is -1
	Path   string // key suffix after the root: ".f*.g", "{}" for map contents
	Name   string // Go-syntax suffix after the root's name: ".f.g"
	Write  bool
	Locks  []string // lock classes held at the access, sorted
	// Closes, for a write, names the channel that the function closes
	// after it on every path to the close ("0.running*": a field of
	// parameter 0), a channel the package never sends on: a receive
	// from it in the caller orders the write.
	Closes string
}

// AFact marks Accesses as a fact.
func (*Accesses) AFact() {}

func (a *Accesses) String() string {
	var parts []string
	for _, x := range a.List {
		root := "g:" + x.Global
		if x.Param >= 0 {
			root = strconv.Itoa(x.Param)
		}
		rw := "r"
		if x.Write {
			rw = "w"
		}
		s := rw + " " + root + strings.ReplaceAll(x.Path, "*", "")
		if x.Closes != "" {
			s += " before close(" + strings.TrimSuffix(x.Closes, "*") + ")"
		}
		if len(x.Locks) > 0 {
			short := make([]string, len(x.Locks))
			for i, l := range x.Locks {
				short[i] = lockset.ShortClass(l)
			}
			s += " [" + strings.Join(short, ",") + "]"
		}
		parts = append(parts, s)
	}
	for _, x := range a.Syncs {
		parts = append(parts, x.Kind.String()+" "+strconv.Itoa(x.Param)+strings.ReplaceAll(x.Path, "*", ""))
	}
	return "accesses(" + strings.Join(parts, "; ") + ")"
}

// maxFactAccesses bounds an Accesses fact (about 2 KiB).
const maxFactAccesses = 24

// exportSummaries computes and exports an Accesses fact for each
// function of the package that has an object, unless no other package
// can import them (the check reads only other packages' Accesses).
func (st *state) exportSummaries() {
	if !factscope.Importable(st.pass) {
		return
	}
	// Another package reads an Accesses fact only where a goroutine
	// starts at a function of this package (go pkg.F(x)); calls into
	// the standard library are not followed, as it synchronises its
	// internals itself. So a standard-library fact need hold only what
	// the starter's own code can touch too (see userVisible): most of
	// the facts by volume, each re-exported by every unit that imports
	// the package, are about its internals (issue 18).
	path := st.pass.Pkg.Path()
	std := ssax.IsStd(path)
	// No code outside the standard library can start a goroutine at a
	// function of an internal or vendored package.
	hidden := std && (strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/") || strings.HasPrefix(path, "vendor/"))
	for _, fn := range st.ssa.SrcFuncs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || !obj.Exported() || fn.Parent() != nil || ssax.Origin(fn) != fn {
			continue
		}
		if !hidden && (!std || carriesUserState(fn)) {
			f := st.summarize(fn)
			if f != nil && std {
				f = userVisible(f)
			}
			if f != nil {
				st.pass.ExportObjectFact(obj, f)
			}
		}
		if k, fa := chanGetter(fn); fa != nil {
			st.pass.ExportObjectFact(obj, &ChanGetter{Param: k, Field: fieldName(fa.X.Type(), fa.Field, true)})
		}
	}
}

// userVisible returns the part of a standard-library function's fact
// that code of another package can conflict with: accesses through
// exported fields only (a parameter's own fields, elements and map
// contents, the user's objects behind them), and writes of exported
// globals. Its happens-before operations all stay. Nil when nothing is
// left.
func userVisible(f *Accesses) *Accesses {
	out := &Accesses{Syncs: f.Syncs}
	for _, x := range f.List {
		if x.Param < 0 && (!x.Write || !token.IsExported(x.Global[strings.LastIndexByte(x.Global, '.')+1:])) {
			continue
		}
		visible := true
		for _, seg := range strings.Split(x.Path, ".") {
			seg = strings.Trim(seg, "*[]{}")
			if seg != "" && !token.IsExported(seg) {
				visible = false
				break
			}
		}
		if visible {
			out.List = append(out.List, x)
		}
	}
	if len(out.List) == 0 && len(out.Syncs) == 0 {
		return nil
	}
	return out
}

// carriesUserState reports whether a standard-library function has a
// parameter (its receiver included) through which userVisible could
// keep something: a struct with an exported field, a slice, a map or a
// channel, or a pointer to one. The others' facts could keep only a
// write of an exported global, and are not computed.
func carriesUserState(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		t := p.Type().Underlying()
		if ptr, ok := t.(*types.Pointer); ok {
			t = ptr.Elem().Underlying()
		}
		switch t := t.(type) {
		case *types.Slice, *types.Map, *types.Chan:
			return true
		case *types.Struct:
			for i := 0; i < t.NumFields(); i++ {
				if t.Field(i).Exported() {
					return true
				}
			}
		}
	}
	return false
}

func (st *state) summarize(fn *ssa.Function) *Accesses {
	c := st.newContext(fn, fn, nil)
	env := map[ssa.Value]path{}
	for i, p := range fn.Params {
		env[p] = path{key: "P#" + strconv.Itoa(i), name: "\x00"}
	}
	c.rootEnv = env
	fr := &frame{c: c, fn: fn, env: env, root: true}
	fr.walk()
	seen := map[string]bool{}
	var out []Access
	for _, a := range c.accesses {
		if a.loc.chanOp {
			continue // a channel's state is checked within its package only
		}
		var x Access
		switch {
		case strings.HasPrefix(a.loc.key, "P#"):
			rest := a.loc.key[2:]
			i := 0
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			n, _ := strconv.Atoi(rest[:i])
			x = Access{Param: n, Path: rest[i:], Name: strings.TrimPrefix(a.loc.name, "\x00")}
		case strings.HasPrefix(a.loc.key, "g:"):
			g := a.loc.key[2:]
			x = Access{Param: -1}
			x.Global, x.Path, x.Name = splitGlobal(g, a.loc.name)
		default:
			continue
		}
		if st.atomicKeys[a.loc.key] || !a.write && st.closeOrdered[a.instr] || st.atomicBracketed(c, &a) || a.lazy {
			// (A lazy initialisation, a write under a lock guarded by
			// a nil check of the same field, pairs with nothing within
			// the package; other packages see it the same way.)
			continue
		}
		x.Write = a.write
		if a.write {
			x.Closes = st.closedAfter(c, &a)
		}
		for _, l := range a.locks {
			if !l.Unknown {
				x.Locks = append(x.Locks, l.Class)
			}
		}
		sort.Strings(x.Locks)
		x.Locks = dedupStrings(x.Locks)
		k := strconv.Itoa(x.Param) + x.Global + x.Path + strconv.FormatBool(x.Write) + strings.Join(x.Locks, ",") + x.Closes
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, x)
	}
	syncs := summarizeSyncs(c)
	if len(out) == 0 && len(syncs) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Param != b.Param {
			return a.Param < b.Param
		}
		if a.Global != b.Global {
			return a.Global < b.Global
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Write != b.Write {
			return a.Write
		}
		return strings.Join(a.Locks, ",") < strings.Join(b.Locks, ",")
	})
	if len(out) > maxFactAccesses {
		out = out[:maxFactAccesses]
	}
	return &Accesses{List: out, Syncs: syncs}
}

// maxFactSyncs bounds the Syncs of an Accesses fact.
const maxFactSyncs = 8

// summarizeSyncs lists the channel and WaitGroup operations of the
// summarised function c on objects reached from its parameters, made on
// the function's own goroutine (not in goroutines it starts), once
// each.
func summarizeSyncs(c *context) []Sync {
	var out []Sync
	seen := map[string]bool{}
	for _, e := range c.events {
		switch e.kind {
		case goroutines.EvSend, goroutines.EvRecv, goroutines.EvClose, goroutines.EvDone, goroutines.EvWait:
		default:
			continue
		}
		if !strings.HasPrefix(e.key, "P#") || e.start {
			continue
		}
		rest := e.key[2:]
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil {
			continue
		}
		// Only a channel known to be unbuffered lets a receive release
		// and a send acquire; any other is recorded as buffered.
		x := Sync{Kind: e.kind, Param: n, Path: rest[i:], Typ: e.typ, Buffered: e.capacity != 0}
		k := x.Kind.String() + rest + x.Typ
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, x)
		if len(out) == maxFactSyncs {
			break
		}
	}
	return out
}

// closedAfter returns, for a write of the summarised function, the
// channel field of a parameter that the function closes after it on
// every path to the close ("0.running*"), when the package never sends
// on that field; else "".
func (st *state) closedAfter(c *context, a *access) string {
	if a.top == nil || a.exit {
		return ""
	}
	for _, e := range c.events {
		if e.kind != goroutines.EvClose || !strings.HasPrefix(e.key, "P#") || e.top == nil || e.top.Parent() != a.top.Parent() {
			continue
		}
		call, ok := e.instr.(ssa.CallInstruction)
		if !ok || len(call.Common().Args) != 1 {
			continue
		}
		obj := ssax.ChanVar(call.Common().Args[0])
		if obj == nil {
			continue
		}
		if st.sentChans == nil {
			st.sentChans = ssax.SentChannels(st.ssa.SrcFuncs)
		}
		// A close deferred in the callee that makes the write runs as
		// that callee returns, after the write.
		lateClose := e.late && !a.late && e.top == a.top
		if st.sentChans[obj] || !lateClose && !st.reach.dominates(a.top, e.top, e.exit) {
			continue
		}
		return e.key[2:]
	}
	return ""
}

// splitGlobal splits a global location key "pkg/path.name.f*" into the
// global "pkg/path.name" and the suffix; name is the Go name of the
// location ("name.f").
func splitGlobal(g, name string) (string, string, string) {
	slash := strings.LastIndex(g, "/")
	dot := strings.Index(g[slash+1:], ".")
	if dot < 0 {
		return g, "", ""
	}
	rest := g[slash+1+dot+1:]
	end := strings.IndexAny(rest, ".*[{")
	if end < 0 {
		end = len(rest)
	}
	glob := g[:slash+1+dot+1+end]
	base := rest[:end]
	return glob, rest[end:], strings.TrimPrefix(name, base)
}

func dedupStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// importedAccesses returns the Accesses fact of a function of another
// package, or nil.
func (st *state) importedAccesses(fn *ssa.Function) *Accesses {
	fn = ssax.Origin(fn)
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == st.pass.Pkg {
		return nil
	}
	if f, ok := st.factCache[obj]; ok {
		return f
	}
	var f Accesses
	var res *Accesses
	if st.pass.ImportObjectFact(obj, &f) {
		res = &f
	}
	st.factCache[obj] = res
	return res
}

// applySummary adds the accesses of a call to fn (of another package)
// with arguments args, as a frame's accesses; a deferred call's run at
// the frame's exit.
func (fr *frame) applySummary(instr ssa.Instruction, fn *ssa.Function, args []ssa.Value, fl *lockset.FuncLocks, deferred bool) {
	f := fr.c.st.importedAccesses(fn)
	if f == nil {
		return
	}
	held := fr.heldAt(instr, fl)
	for _, x := range f.Syncs {
		if x.Param >= len(args) {
			continue
		}
		ev := event{kind: x.Kind, typ: x.Typ, top: fr.topOf(instr), instr: instr, exit: fr.atExit(deferred), late: fr.isLate(deferred), capacity: -1, buffered: x.Buffered}
		p, ok := fr.resolve(args[x.Param])
		if !ok {
			continue // an object this frame cannot name: matching by type alone would order too much
		}
		ev.key = p.key + x.Path
		fr.c.events = append(fr.c.events, ev)
	}
	for _, x := range f.List {
		var root path
		if x.Param >= 0 {
			if x.Param >= len(args) {
				continue
			}
			p, ok := fr.resolve(args[x.Param])
			if !ok {
				continue
			}
			root = p
		} else {
			slash := strings.LastIndex(x.Global, "/")
			root = path{key: "g:" + x.Global, name: x.Global[slash+1:][strings.Index(x.Global[slash+1:], ".")+1:]}
		}
		loc := path{key: root.key + x.Path, name: root.name + x.Name, inst: root.inst, def: root.def}
		if !strings.Contains(x.Path, "[]") {
			loc.idx, loc.idxDef = elemIdx(root) // a field of the element the argument names
		}
		locks := append([]lockset.Lock(nil), held...)
		for _, c := range x.Locks {
			locks = append(locks, lockset.Lock{Key: "fact:" + c, Name: lockset.ShortClass(c), Class: c})
		}
		acc := access{
			loc: loc, write: x.Write, instr: instr, top: fr.topOf(instr), exit: fr.atExit(deferred), late: fr.isLate(deferred),
			locks: locks, fn: fr.fn,
		}
		if x.Closes != "" {
			i := strings.IndexByte(x.Closes, '.')
			if n, err := strconv.Atoi(x.Closes[:max(i, 0)]); err == nil && n < len(args) {
				if p, ok := fr.resolve(args[n]); ok {
					acc.published = p.key + x.Closes[i:]
				}
			}
		}
		fr.c.accesses = append(fr.c.accesses, acc)
	}
}

// atomicBracketed reports whether the plain access a, in the function
// summarised by c, sits between sync/atomic operations on the object it
// belongs to: one before it on every path (the acquiring load, a
// compare-and-swap) and one after it (the releasing store), as in a
// ring buffer whose slots change hands by a turn counter or a sequence
// lock. Within the package such accesses pair with the atomic events
// around them; the Accesses fact carries no events, so they stay out of
// it rather than look unsynchronised to other packages.
func (st *state) atomicBracketed(c *context, a *access) bool {
	if a.atomic || a.top == nil {
		return false
	}
	owner := parentKey(a.loc.key)
	if owner == "" {
		return false
	}
	before, after := false, false
	for _, e := range c.events {
		if e.kind != goroutines.EvAtomic || e.top == nil || parentKey(e.key) != owner {
			continue
		}
		if e.top != a.top && st.reach.dominates(e.top, a.top, false) {
			before = true
		}
		if e.top != a.top && st.reach.after(a.top, e.top) {
			after = true
		}
	}
	return before && after
}

// parentKey strips the last field selection from an access key:
// "P#0.slots[].item" becomes "P#0.slots[]"; "" when there is none.
func parentKey(key string) string {
	i := strings.LastIndexByte(key, '.')
	if i <= 0 {
		return ""
	}
	return strings.TrimSuffix(key[:i], "*")
}
