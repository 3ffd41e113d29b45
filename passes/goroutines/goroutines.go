package goroutines

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer computes the spawn sites, goroutine reach and happens-before
// events of a package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "goroutines",
	Doc:        "find goroutine entry points, what they capture and reach, and happens-before events",
	URL:        "https://pkg.go.dev/github.com/syncvet/syncvet/passes/goroutines",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer},
	Run:        panicguard.Wrap("goroutines", run),
	ResultType: reflect.TypeOf((*Result)(nil)),
	FactTypes:  []analysis.Fact{new(Spawns)},
}

// Kind says how a spawn starts its goroutine.
type Kind string

// The kinds of spawn.
const (
	KindGo        Kind = "go"            // go statement
	KindWaitGroup Kind = "waitgroup"     // sync.WaitGroup.Go
	KindErrgroup  Kind = "errgroup"      // errgroup.Group.Go or TryGo
	KindAfterFunc Kind = "afterfunc"     // time.AfterFunc or context.AfterFunc
	KindParallel  Kind = "parallel-test" // t.Run(name, f) where f calls t.Parallel
	KindHandler   Kind = "handler"       // an HTTP handler, concurrent by contract
	KindCallback  Kind = "callback"      // passed to a parameter that a Spawns fact says is started
)

// Spawn is one place where the package starts a goroutine.
type Spawn struct {
	Kind   Kind
	Site   ssa.Instruction // the go statement or call; nil for a handler found by its signature
	Pos    token.Pos       // position of the site, or of the handler function
	Parent *ssa.Function   // function containing Site; nil for a handler found by its signature

	// Value is the function value started: a *ssa.Function, a
	// *ssa.MakeClosure (function literal or bound method), or any other
	// value (for example a parameter). Entry is the function that runs
	// first on the new goroutine when it is statically known.
	Value ssa.Value
	Entry *ssa.Function
	// Bindings are the values captured by a closure, parallel to
	// Entry.FreeVars. Args are the arguments passed to Entry (for a
	// static method call through go, the receiver first).
	Bindings []ssa.Value
	Args     []ssa.Value
	// Invoke is set for `go iface.Method(args)`: the method name; Args
	// then holds the interface value first.
	Invoke *types.Func

	// Group is the WaitGroup or errgroup.Group the goroutine belongs to
	// (the receiver of Go/TryGo), or nil.
	Group ssa.Value

	// Many reports whether several instances of this goroutine may run
	// at the same time (a spawn in a loop, a handler).
	Many bool
}

// String is a short description for tests and debugging.
func (s *Spawn) String() string {
	name := "?"
	if s.Entry != nil {
		name = s.Entry.Name()
	} else if s.Invoke != nil {
		name = s.Invoke.Name()
	}
	if s.Many {
		return fmt.Sprintf("%s %s many", s.Kind, name)
	}
	return fmt.Sprintf("%s %s", s.Kind, name)
}

// EventKind is the kind of a happens-before event.
type EventKind int

// Happens-before event kinds. Release events publish the memory written
// before them to the goroutine that performs the matching acquire.
const (
	EvSpawn    EventKind = iota // release: the spawner's past happens before the goroutine
	EvSend                      // release (and acquire on an unbuffered channel)
	EvRecv                      // acquire (and release on an unbuffered channel)
	EvClose                     // release
	EvDone                      // WaitGroup.Done: release
	EvWait                      // WaitGroup.Wait or errgroup.Group.Wait: acquire
	EvOnce                      // Once.Do: the callback happens before every return
	EvCondWait                  // Cond.Wait: acquire
	EvCondWake                  // Cond.Signal/Broadcast: release
	EvAtomic                    // a sync/atomic operation: both
)

var evNames = [...]string{"spawn", "send", "recv", "close", "done", "wait", "once", "condwait", "condwake", "atomic"}

func (k EventKind) String() string {
	if int(k) < len(evNames) {
		return evNames[k]
	}
	return "event" + strconv.Itoa(int(k))
}

// Event is one happens-before event inside a function.
type Event struct {
	Instr ssa.Instruction
	Kind  EventKind
	Obj   ssa.Value // the channel, WaitGroup, group, Once or Cond; nil for an atomic op
	Spawn *Spawn    // for EvSpawn
}

// Result is what the pass computes for one package.
type Result struct {
	Spawns []*Spawn // in order of position

	reach  map[*Spawn][]*ssa.Function
	onG    map[*ssa.Function][]*Spawn
	events map[*ssa.Function][]Event
	facts  func(fn *ssa.Function) *Spawns

	// Analyzers that require this pass read the Result at the same
	// time; the loop memo is the only state filled after run.
	loopMu sync.Mutex
	loops  map[*ssa.Function]map[*ssa.BasicBlock]bool
}

// Reach returns the functions of this package that may run on the
// goroutine started by s: its entry and, transitively, its static
// callees and the closures it calls, sorted by position.
func (r *Result) Reach(s *Spawn) []*ssa.Function { return r.reach[s] }

// SpawnsReaching returns the spawns whose goroutine may run fn.
func (r *Result) SpawnsReaching(fn *ssa.Function) []*Spawn { return r.onG[fn] }

// OnGoroutine reports whether fn may run on a goroutine that this
// package starts.
func (r *Result) OnGoroutine(fn *ssa.Function) bool { return len(r.onG[fn]) > 0 }

// Events returns fn's happens-before events in block order.
func (r *Result) Events(fn *ssa.Function) []Event { return r.events[fn] }

// InLoop reports whether b lies on a cycle of its function's CFG, or in
// the body of a range-over-func loop, which the iterator calls once per
// element.
func (r *Result) InLoop(b *ssa.BasicBlock) bool {
	if b == nil {
		return false
	}
	if lockset.IsRangeFuncBody(b.Parent()) {
		return true // the body of a range-over-func loop runs once per element
	}
	r.loopMu.Lock()
	defer r.loopMu.Unlock()
	m := r.loops[b.Parent()]
	if m == nil {
		m = lockset.LoopBlocks(b.Parent())
		r.loops[b.Parent()] = m
	}
	return m[b]
}

// SpawnsOf returns the Spawns fact of fn (from this package or an
// imported fact, or built in), or nil.
func (r *Result) SpawnsOf(fn *ssa.Function) *Spawns { return r.facts(fn) }

// Spawns is a fact on a function that starts some of its function-valued
// parameters on a new goroutine (directly, or by passing them to
// another such function). Params holds their indices (receiver
// included for methods), sorted.
type Spawns struct {
	Params []int
}

// AFact marks Spawns as a fact.
func (*Spawns) AFact() {}

func (s *Spawns) String() string {
	parts := make([]string, len(s.Params))
	for i, p := range s.Params {
		parts[i] = strconv.Itoa(p)
	}
	return "spawns(" + strings.Join(parts, ",") + ")"
}

func run(pass *analysis.Pass) (any, error) {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	r := &Result{
		reach:  map[*Spawn][]*ssa.Function{},
		onG:    map[*ssa.Function][]*Spawn{},
		events: map[*ssa.Function][]Event{},
		loops:  map[*ssa.Function]map[*ssa.BasicBlock]bool{},
	}
	local := map[*ssa.Function]*Spawns{}
	r.facts = func(fn *ssa.Function) *Spawns {
		if fn == nil {
			return nil
		}
		fn = ssax.Origin(fn)
		if s, ok := local[fn]; ok {
			return s
		}
		if s := builtinSpawns(fn); s != nil {
			return s
		}
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
			return nil
		}
		var f Spawns
		if pass.ImportObjectFact(obj, &f) {
			return &f
		}
		return nil
	}
	funcs := ssainfo.SrcFuncs

	// Spawns facts: iterate to a fixed point within the package.
	for changed := true; changed; {
		changed = false
		for _, fn := range funcs {
			ps := spawnedParams(r, fn)
			if len(ps) == 0 {
				continue
			}
			old := local[ssax.Origin(fn)]
			if old == nil || !equalInts(old.Params, ps) {
				local[ssax.Origin(fn)] = &Spawns{Params: ps}
				changed = true
			}
		}
	}
	export := factscope.Importable(pass) // this pass reads only other packages' facts
	for _, fn := range funcs {
		if s := local[fn]; s != nil && export {
			if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() == pass.Pkg {
				pass.ExportObjectFact(obj, s)
			}
		}
	}

	// Spawn sites and events.
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, s := range spawnsAt(r, fn, instr) {
					r.Spawns = append(r.Spawns, s)
					r.events[fn] = append(r.events[fn], Event{Instr: instr, Kind: EvSpawn, Spawn: s})
				}
				if ev, ok := eventAt(instr); ok {
					r.events[fn] = append(r.events[fn], ev...)
				}
			}
		}
	}
	// HTTP handlers found by signature: methods ServeHTTP and functions
	// used as values with the HandlerFunc signature.
	for _, fn := range funcs {
		if fn.Signature.Recv() != nil && fn.Name() == "ServeHTTP" && IsHandlerSig(fn.Signature) ||
			fn.Signature.Recv() == nil && fn.Parent() == nil && IsHandlerSig(fn.Signature) && usedAsValue(fn, funcs) {
			r.Spawns = append(r.Spawns, &Spawn{Kind: KindHandler, Pos: fn.Pos(), Value: fn, Entry: fn, Many: true})
		}
	}
	sort.SliceStable(r.Spawns, func(i, j int) bool { return r.Spawns[i].Pos < r.Spawns[j].Pos })

	for _, s := range r.Spawns {
		if s.Entry == nil {
			continue
		}
		seen := map[*ssa.Function]bool{}
		var list []*ssa.Function
		var visit func(f *ssa.Function)
		visit = func(f *ssa.Function) {
			if f == nil || seen[f] || f.Blocks == nil || f.Pkg != ssainfo.Pkg && ssax.Origin(f).Pkg != ssainfo.Pkg && f.Synthetic == "" {
				return
			}
			seen[f] = true
			list = append(list, f)
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(ssa.CallInstruction); ok {
						if _, isGo := instr.(*ssa.Go); isGo {
							continue // a new goroutine, not this one
						}
						visit(calleeOf(c.Common()))
					}
				}
			}
		}
		visit(s.Entry)
		sort.SliceStable(list, func(i, j int) bool { return list[i].Pos() < list[j].Pos() })
		r.reach[s] = list
		for _, f := range list {
			r.onG[f] = append(r.onG[f], s)
		}
	}
	return r, nil
}

// calleeOf returns the static callee of a call, looking through
// closures and bound methods, or nil.
func calleeOf(c *ssa.CallCommon) *ssa.Function {
	if c.IsInvoke() {
		return nil
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		if f, ok := v.Fn.(*ssa.Function); ok {
			return f
		}
	}
	return nil
}

// spawnsAt returns the spawns that instr performs.
func spawnsAt(r *Result, fn *ssa.Function, instr ssa.Instruction) []*Spawn {
	mk := func(kind Kind, v ssa.Value, args []ssa.Value, group ssa.Value) *Spawn {
		s := &Spawn{Kind: kind, Site: instr, Pos: instr.Pos(), Parent: fn, Value: v, Group: group}
		s.Entry, s.Bindings = ssax.FuncOf(v)
		s.Args = args
		s.Many = r.InLoop(instr.Block())
		if s.Pos == token.NoPos {
			s.Pos = fn.Pos()
		}
		return s
	}
	switch instr := instr.(type) {
	case *ssa.Go:
		c := instr.Common()
		if c.IsInvoke() {
			s := mk(KindGo, c.Value, append([]ssa.Value{c.Value}, c.Args...), nil)
			s.Invoke = c.Method
			return []*Spawn{s}
		}
		return []*Spawn{mk(KindGo, c.Value, c.Args, nil)}
	case *ssa.Call:
		c := instr.Common()
		callee := c.StaticCallee()
		if callee == nil {
			return nil
		}
		o := syncapi.Func(callee)
		if kind, ok := spawnKinds[o.Kind]; ok {
			f := o.FuncArg(c)
			if f == nil {
				return nil
			}
			var group ssa.Value
			if o.Type == syncapi.WaitGroup || o.Type == syncapi.ErrGroup {
				group = o.RecvArg(c)
			}
			return []*Spawn{mk(kind, f, nil, group)}
		}
		if qualifiedName(callee) == "(*testing.T).Run" {
			if f, _ := ssax.FuncOf(c.Args[2]); f != nil && callsParallel(f) {
				return []*Spawn{mk(KindParallel, c.Args[2], nil, nil)}
			}
			return nil
		}
		sp := r.facts(callee)
		if sp == nil {
			return nil
		}
		var out []*Spawn
		for _, p := range sp.Params {
			if p < len(c.Args) {
				s := mk(KindCallback, c.Args[p], nil, nil)
				if o := ssax.Origin(callee); o.Pkg != nil && o.Pkg.Pkg.Path() == "net/http" {
					// http.HandleFunc and (*http.ServeMux).HandleFunc:
					// the handler runs for each request (at once for
					// requests that overlap, counted for the default
					// mux's only, which any server of the program may
					// serve; a test that registers one on it makes its
					// own requests, as with a mux of its own).
					s.Kind = KindHandler
					if o.Signature.Recv() == nil && !ssax.InTestFile(fn.Prog.Fset, instr.Pos()) {
						s.Many = true
					}
				}
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// spawnKinds are the kinds of spawn of the calls that the sync table
// says start their function argument on a new goroutine. The group of
// a WaitGroup or errgroup spawn is the call's receiver.
var spawnKinds = map[syncapi.Kind]Kind{
	syncapi.WaitGroupGo:      KindWaitGroup,
	syncapi.GroupGo:          KindErrgroup,
	syncapi.GroupTryGo:       KindErrgroup,
	syncapi.AfterFunc:        KindAfterFunc,
	syncapi.ContextAfterFunc: KindAfterFunc,
}

// spawnedParams returns the indices of fn's parameters that fn starts on
// a new goroutine.
func spawnedParams(r *Result, fn *ssa.Function) []int {
	var out []int
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, s := range spawnsAt(r, fn, instr) {
				if s.Kind == KindParallel || s.Kind == KindHandler && s.Site == nil {
					continue
				}
				if p, ok := s.Value.(*ssa.Parameter); ok {
					for i, q := range fn.Params {
						if q == p {
							out = append(out, i)
						}
					}
				}
			}
		}
	}
	sort.Ints(out)
	return dedupInts(out)
}

// builtinSpawns describes standard-library and x/sync functions that
// start a callback on a new goroutine, for drivers that never analyse
// them.
func builtinSpawns(fn *ssa.Function) *Spawns {
	if o := syncapi.Func(fn); o.Spawns() {
		return &Spawns{Params: []int{o.Func}}
	}
	switch qualifiedName(fn) {
	case "net/http.HandleFunc", "net/http.Handle":
		return &Spawns{Params: []int{1}}
	case "(*net/http.ServeMux).HandleFunc", "(*net/http.ServeMux).Handle":
		return &Spawns{Params: []int{2}}
	}
	return nil
}

// eventAt returns the happens-before events of instr.
func eventAt(instr ssa.Instruction) ([]Event, bool) {
	switch instr := instr.(type) {
	case *ssa.Send:
		return []Event{{Instr: instr, Kind: EvSend, Obj: instr.Chan}}, true
	case *ssa.UnOp:
		if instr.Op == token.ARROW {
			return []Event{{Instr: instr, Kind: EvRecv, Obj: instr.X}}, true
		}
	case *ssa.Select:
		var evs []Event
		for _, st := range instr.States {
			k := EvRecv
			if st.Dir == types.SendOnly {
				k = EvSend
			}
			evs = append(evs, Event{Instr: instr, Kind: k, Obj: st.Chan})
		}
		return evs, len(evs) > 0
	case ssa.CallInstruction:
		c := instr.Common()
		if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "close" && len(c.Args) == 1 {
			return []Event{{Instr: instr, Kind: EvClose, Obj: c.Args[0]}}, true
		}
		callee := c.StaticCallee()
		if callee == nil {
			return nil, false
		}
		o := syncapi.Func(callee)
		if k, ok := eventKinds[o.Kind]; ok {
			if obj := o.RecvArg(c); obj != nil {
				return []Event{{Instr: instr, Kind: k, Obj: obj}}, true
			}
		}
		if o.Atomic() {
			return []Event{{Instr: instr, Kind: EvAtomic}}, true
		}
	}
	return nil, false
}

// eventKinds are the happens-before events of the calls of the sync
// table, on the call's receiver.
var eventKinds = map[syncapi.Kind]EventKind{
	syncapi.WaitGroupDone: EvDone,
	syncapi.WaitGroupWait: EvWait,
	syncapi.GroupWait:     EvWait,
	syncapi.OnceDo:        EvOnce,
	syncapi.CondWait:      EvCondWait,
	syncapi.CondSignal:    EvCondWake,
	syncapi.CondBroadcast: EvCondWake,
}

// callsParallel reports whether f calls (*testing.T).Parallel directly.
func callsParallel(f *ssa.Function) bool {
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if callee := c.Common().StaticCallee(); callee != nil && qualifiedName(callee) == "(*testing.T).Parallel" {
					return true
				}
			}
		}
	}
	return false
}

// IsHandlerSig reports whether sig is an HTTP handler's signature:
// func(http.ResponseWriter, *http.Request).
func IsHandlerSig(sig *types.Signature) bool {
	if sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	return typeName(sig.Params().At(0).Type()) == "net/http.ResponseWriter" &&
		typeName(sig.Params().At(1).Type()) == "*net/http.Request"
}

func typeName(t types.Type) string {
	ptr := ""
	if p, ok := t.(*types.Pointer); ok {
		ptr, t = "*", p.Elem()
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
		return ptr + n.Obj().Pkg().Path() + "." + n.Obj().Name()
	}
	return ""
}

// usedAsValue reports whether fn is referenced other than as a callee.
func usedAsValue(fn *ssa.Function, funcs []*ssa.Function) bool {
	for _, g := range funcs {
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				var buf [8]*ssa.Value
				for i, op := range instr.Operands(buf[:0]) {
					if *op != fn {
						continue
					}
					if c, ok := instr.(ssa.CallInstruction); ok && i == 0 && c.Common().Value == fn {
						continue
					}
					return true
				}
			}
		}
	}
	return false
}

// qualifiedName returns "pkg.F" or "(*pkg.T).M" / "(pkg.T).M" for fn's origin.
func qualifiedName(fn *ssa.Function) string {
	fn = ssax.Origin(fn)
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return fn.String()
	}
	sig := obj.Type().(*types.Signature)
	if recv := sig.Recv(); recv != nil {
		t := recv.Type()
		ptr := ""
		if p, ok := t.(*types.Pointer); ok {
			ptr, t = "*", p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return "(" + ptr + obj.Pkg().Path() + "." + n.Obj().Name() + ")." + obj.Name()
		}
		return obj.FullName()
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// QualifiedName is the name used in built-in tables: "pkg.F" or "(*pkg.T).M".
func QualifiedName(fn *ssa.Function) string { return qualifiedName(fn) }

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func dedupInts(a []int) []int {
	out := a[:0]
	for i, x := range a {
		if i == 0 || x != a[i-1] {
			out = append(out, x)
		}
	}
	return out
}
