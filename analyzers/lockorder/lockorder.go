package lockorder

import (
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer reports lock order cycles, double locking and RWMutex
// recursion.
var Analyzer = &analysis.Analyzer{
	Name:      "lockorder",
	Doc:       Doc,
	URL:       "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/lockorder",
	Requires:  []*analysis.Analyzer{lockset.Analyzer, goroutines.Analyzer},
	Run:       panicguard.Wrap("lockorder", run),
	FactTypes: []analysis.Fact{new(Edges)},
}

// Categories of diagnostics.
const (
	CategoryCycle        = "cycle"           // lock order cycle between classes
	CategoryInstance     = "instance-order"  // two instances of one class in both orders
	CategoryDouble       = "double"          // lock already held on this path
	CategoryDoubleUnlock = "double-unlock"   // unlock of a lock already unlocked on this path
	CategoryRecursion    = "rlock-recursion" // RLock while the same RLock is held
	CategoryUpgrade      = "upgrade"         // Lock while the same RLock is held
	CategoryHeldAtExit   = "held-at-exit"    // a goroutine returns holding a lock
)

// Edges is the package fact: the acquired-before edges between lock
// classes that the package's functions create, one per ordered pair.
// Besides closing cycles across packages, it is what `syncvet lockgraph`
// reads to draw the graph: every package's Edges fact, its own and its
// dependencies', as the facts make them visible.
type Edges struct {
	List []Edge
	// Callbacks are the function-valued fields of the package's types
	// that its code calls with locks held: a package that stores a
	// function into one adds the edges from those locks to the
	// function's own.
	Callbacks []FieldCall
}

// FieldCall says that the function held in Field is called while the
// classes Held are held.
type FieldCall struct {
	Field string   // "example.com/conn.Conn.OnStateChange" (ssax.FieldID)
	Held  []string // lock classes
}

// Edge says that To was acquired while From was held.
type Edge struct {
	From, To string   // lock classes (see lockset.Lock.Class)
	Func     string   // the function that acquires To: "(*bank.Bank).Pay"
	File     string   // file of the acquisition
	Line     int      // line of the acquisition
	Via      []string // calls through which To was acquired
	// Gates are classes held at every site of this pair besides From; a
	// cycle whose edges share a gate cannot deadlock.
	Gates []string
}

// maxEdges caps the package fact.
const maxEdges = 1024

func (*Edges) AFact() {}

func (e *Edges) String() string {
	var ss []string
	for _, x := range e.List {
		ss = append(ss, lockset.ShortClass(x.From)+"->"+lockset.ShortClass(x.To))
	}
	out := "edges(" + strings.Join(ss, ", ") + ")"
	for _, fc := range e.Callbacks {
		var hs []string
		for _, h := range fc.Held {
			hs = append(hs, lockset.ShortClass(h))
		}
		out += " callback(" + fc.Field[strings.LastIndex(fc.Field, "/")+1:] + " under " + strings.Join(hs, ", ") + ")"
	}
	return out
}

// site is a local edge with what is needed to report it.
type site struct {
	edge     Edge
	pos      token.Pos
	fromName string
	toName   string
}

func run(pass *analysis.Pass) (any, error) {
	ls := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
	g := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
	c := &checker{pass: pass, ls: ls, g: g}
	c.doubles()
	c.callbackDoubles()
	c.flushStale()
	c.collectEdges()
	c.callbackEdges()
	if calls := c.fieldCalls(); len(c.local) > 0 || len(calls) > 0 {
		list := make([]Edge, 0, len(c.local))
		for _, s := range c.local {
			list = append(list, s.edge)
		}
		if len(list) > maxEdges {
			list = list[:maxEdges]
		}
		pass.ExportPackageFact(&Edges{List: list, Callbacks: calls})
	}
	c.cycles()
	c.instances()
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	ls    *lockset.Result
	g     *goroutines.Result
	local []*site // one per class pair, in source order
	files map[string]*token.File
	// published memoizes the publication points of objects whose locks
	// are held at an edge (unpublished).
	published map[*ssa.Alloc]publishInfo
	// staleVia holds the double locks that one callee leaving a lock
	// held on some paths causes, by callee and leak site, in staleOrder:
	// one root cause, one finding (flushStale).
	staleVia   map[string][]analysis.Diagnostic
	staleOrder []string
}

// funcName names fn for messages, relative to the current package.
func (c *checker) funcName(fn *ssa.Function) string {
	return names.Qualified(fn, types.RelativeTo(c.pass.Pkg))
}

// qualifiedName names fn with its package name, for facts.
func qualifiedName(fn *ssa.Function) string {
	return names.Qualified(fn, names.ByPackageName)
}

func viaText(via []string) string {
	if len(via) == 0 {
		return ""
	}
	return " (via " + names.Chain(via) + ")"
}

// collectEdges gathers the class edges of the package's functions.
func (c *checker) collectEdges() {
	byPair := map[[2]string]*site{}
	for _, fl := range c.ls.Funcs() {
		for _, e := range fl.Events() {
			if e.Kind != lockset.Acquire && e.Kind != lockset.Take {
				continue
			}
			heldBefore := e.HeldBefore
			if e.Deferred {
				if e.Kind != lockset.Take {
					continue
				}
				heldBefore = e.AtReturn // the deferred call runs at return
			}
			l := e.Lock
			if l.Anonymous() || e.Fresh {
				continue // no other goroutine can hold a fresh object's lock
			}
			for _, h := range heldBefore {
				if h.Key == l.Key || h.Anonymous() || h.Class == l.Class || (h.Read && l.Read) {
					continue
				}
				if c.unpublished(fl, h, e.Instr) {
					continue // no other goroutine can hold or wait for h yet
				}
				var gates []string
				for _, g := range heldBefore {
					// A read lock excludes no other reader: not a gate.
					if g.Key != h.Key && g.Key != l.Key && !g.Anonymous() && !g.Read && g.Class != h.Class && g.Class != l.Class {
						gates = append(gates, g.Class)
					}
				}
				gates = uniq(gates)
				pair := [2]string{h.Class, l.Class}
				if s, ok := byPair[pair]; ok {
					s.edge.Gates = intersectStrings(s.edge.Gates, gates)
					continue
				}
				p := c.pass.Fset.Position(ssax.Pos(e.Instr))
				s := &site{
					edge: Edge{
						From: h.Class, To: l.Class,
						Func: qualifiedName(fl.Fn),
						File: p.Filename, Line: p.Line,
						Via:   e.Via,
						Gates: gates,
					},
					pos:      ssax.Pos(e.Instr),
					fromName: h.Name,
					toName:   l.Name,
				}
				byPair[pair] = s
				c.local = append(c.local, s)
			}
		}
	}
}

// unlockHandedOut reports whether fn takes the Unlock (or RUnlock)
// method of the mutex that the acquisition acq locks as a function
// value (server.NotifyStartedFunc = waitLock.Unlock): another party
// unlocks it, and locking it again waits for that, by design.
func unlockHandedOut(fn *ssa.Function, acq ssa.Instruction) bool {
	call, ok := acq.(ssa.CallInstruction)
	if !ok {
		return false
	}
	recv := baseOf(syncapi.Call(call.Common()).RecvArg(call.Common()))
	if recv == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if mc, ok := in.(*ssa.MakeClosure); ok {
				if l := syncapi.BoundRelease(mc); l != nil && baseOf(l) == recv {
					return true
				}
			}
		}
	}
	return false
}

// baseOf strips conversions from v.
func baseOf(v ssa.Value) ssa.Value {
	for v != nil {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return v
		}
	}
	return nil
}

// unpublished reports whether h is the lock of an object that fl's
// function allocated and has not yet made reachable by other goroutines
// when at runs (a connection being set up under its own lock before it
// is registered anywhere): an order taken under it cannot deadlock.
func (c *checker) unpublished(fl *lockset.FuncLocks, h lockset.Lock, at ssa.Instruction) bool {
	for _, e := range fl.Events() {
		if e.Lock.Key != h.Key || e.Kind != lockset.Acquire {
			continue
		}
		call, ok := e.Instr.(ssa.CallInstruction)
		if !ok {
			return false
		}
		op := syncapi.Call(call.Common())
		obj := ssax.ObjectOf(op.RecvArg(call.Common()))
		if obj == nil {
			return false
		}
		p, ok := c.published[obj]
		if !ok {
			p.points, p.ok = ssax.PublishPoints(obj)
			if c.published == nil {
				c.published = map[*ssa.Alloc]publishInfo{}
			}
			c.published[obj] = p
		}
		return p.ok && ssax.NoneBefore(p.points, at)
	}
	return false
}

// publishInfo memoizes ssax.PublishPoints for an object.
type publishInfo struct {
	points []ssa.Instruction
	ok     bool
}

func uniq(ss []string) []string {
	sort.Strings(ss)
	var out []string
	for i, s := range ss {
		if i == 0 || ss[i-1] != s {
			out = append(out, s)
		}
	}
	return out
}

func intersectStrings(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}
