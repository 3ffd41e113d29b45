package sharedaccess

import (
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/passes/callees"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer reports unsynchronized access to shared memory.
var Analyzer = &analysis.Analyzer{
	Name:      "sharedaccess",
	Doc:       Doc,
	URL:       "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/sharedaccess",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer, callees.Analyzer, goroutines.Analyzer, lockset.Analyzer},
	Run:       panicguard.Wrap("sharedaccess", run),
	FactTypes: []analysis.Fact{new(Guarded), new(Accesses), new(ChanGetter)},
}

// Report categories.
const (
	CatSpawn         = "spawn"          // a goroutine and its spawner
	CatInstances     = "instances"      // instances of one goroutine body
	CatSiblings      = "siblings"       // two goroutines of one spawner
	CatAPI           = "api"            // a goroutine a constructor leaves running and a method of the object
	CatGuard         = "guard"          // a field accessed without its inferred guard
	CatRLock         = "rlock-write"    // a write under a read lock
	CatEscape        = "escape"         // guarded state returned out of its critical section
	CatCopied        = "copied-lock"    // a value receiver locks a copy of its mutex
	CatChecklock     = "checklocks"     // a +checklocks annotation broken
	CatMixed         = "mixed-atomic"   // a plain write to memory accessed atomically
	CatDoubleChecked = "double-checked" // a lazy initialisation tested first without its lock
)

type state struct {
	// relays are the goroutines started by the function whose spawns
	// are being paired: a third one may pass an order on (relayed).
	relays    []*context
	typeNames map[types.Type]string          // eventType's answers
	conts     map[*goroutines.Spawn]*context // continuation's answers
	// goSends counts, for each function that starts goroutines, the sends
	// its goroutines make on each channel (countSends).
	goSends    map[*ssa.Function]map[string]int
	getters    map[*ssa.Function]*ChanGetter // chanGetterOf's answers
	sentChans  map[types.Object]bool         // channels the package sends on (ssax.SentChannels)
	spawnSites map[ssa.Instruction]bool      // the spawns' sites (spawnSite)
	// entry holds, for the unexported functions that only the package
	// calls, the locks held at every call site (entryHeld).
	entry map[*ssa.Function][]lockset.Lock
	// callerLockedMemo memoizes callerLocked.
	callerLockedMemo map[*ssa.Function]bool
	pass             *analysis.Pass
	ssa              *buildssa.SSA
	g                *goroutines.Result
	locks            *lockset.Result
	callees          *callees.Result
	ids              map[ssa.Value]string
	atomicKeys       map[string]bool
	flagOneWay       map[*types.Var]bool    // flagGated's one-way flags
	ctors            map[*ssa.Function]bool // constructors returning fresh objects (ssax.FreshResult)
	publish          map[ssa.Value]publishPoints
	reach            *reachability
	reported         map[string]bool
	atPos            map[token.Pos][]analysis.Diagnostic // findings recorded by report, by position
	posOrder         []token.Pos
	atomicClasses    map[string]bool
	atomicSites      map[string]ssa.Instruction    // first sync/atomic call on each class
	atomicFuncs      map[string][]*ssa.Function    // the functions that make sync/atomic calls on each class
	goroutineRun     map[*ssa.Function]bool        // memo of runByGoroutine
	birthFields      map[*types.Var]bool           // fields written only while their object is made (setOnlyAtBirth)
	unguarded        map[string][]unguardedFinding // guard findings by function and lock (addUnguarded)
	unguardedOrder   []string
	signals          map[types.Object][]ssa.Instruction  // sends on and closes of each channel variable (signalsGuarded)
	replies          map[types.Object]types.Object       // stand-ins for channels received from a channel variable (replyChan)
	methodsOf        map[*types.TypeName][]*ssa.Function // exported methods by type (apiMethods)
	apiDone          map[string]bool                     // constructor, method and location already reported (pairAPI)
	methodCtxs       map[*ssa.Function]*context          // methods walked whole (methodContext)
	factCache        map[*types.Func]*Accesses
	onceFuncs        map[*ssa.Function]bool
	invoked          map[string]bool // method names of the package's interface calls (invokedByName)
	chanCaps         map[string]int64
	customCalls      map[*ssa.Function][]customCall // memo of lockLikeCalls
	casMemo          map[*ssa.Function][]casGate    // memo of casGates
	onceDo           map[*ssa.Function][]*ssa.Call  // memo of onceCalls
	locals           *names.Locals                  // the package's assignments (localVars)
	detachedMemo     map[*ssa.UnOp]bool             // memo of detached
	sends            map[types.Object]bool          // channels the package sends on (publish.go)
	siblings         map[string]*siblingReport      // pending sibling findings (see groupFinding)
	unsafeTypes      map[*types.Var]bool            // fields of types documented as not concurrency-safe
	// closeOrdered holds the reads of unexported fields that come after
	// a receive from a channel the package closes after every write of
	// the field (publishedByClose): other packages' goroutines cannot
	// race with them, so Accesses facts leave them out.
	closeOrdered map[ssa.Instruction]bool
	siblingOrder []string
	// goSites holds, for the spawns that stand for a call leaving a
	// goroutine running (asyncContext), the go statement that started
	// it (goSite).
	goSites map[*goroutines.Spawn]ssa.Instruction
	// siteFlags memoises callSiteFlags.
	siteFlags map[*ssa.Function][]*types.Var
	// dcl holds the first reads of double-checked locking already
	// reported (checkDoubleChecked): the guard check leaves them alone.
	dcl map[ssa.Instruction]bool
	// sites indexes the static call sites of the package (calls.go).
	sites *siteIndex
}

// goSite returns the go statement (or other spawning call) that started
// the goroutine of s, through the calls that left it running.
func (st *state) goSite(s *goroutines.Spawn) ssa.Instruction {
	if site, ok := st.goSites[s]; ok {
		return site
	}
	return s.Site
}

func (st *state) id(v ssa.Value) string {
	if s, ok := st.ids[v]; ok {
		return s
	}
	s := strconv.Itoa(len(st.ids))
	st.ids[v] = s
	return s
}

func run(pass *analysis.Pass) (any, error) {
	if p := pass.Pkg.Path(); p == "runtime" || strings.HasPrefix(p, "runtime/internal/") || strings.HasPrefix(p, "internal/runtime/") {
		// The runtime is not instrumented by the race detector and
		// synchronises with its own locks and atomics.
		return nil, nil
	}
	st := &state{
		pass:         pass,
		ssa:          pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA),
		g:            pass.ResultOf[goroutines.Analyzer].(*goroutines.Result),
		locks:        pass.ResultOf[lockset.Analyzer].(*lockset.Result),
		callees:      pass.ResultOf[callees.Analyzer].(*callees.Result),
		ids:          map[ssa.Value]string{},
		atomicKeys:   map[string]bool{},
		ctors:        map[*ssa.Function]bool{},
		flagOneWay:   map[*types.Var]bool{},
		publish:      map[ssa.Value]publishPoints{},
		reach:        newReachability(),
		reported:     map[string]bool{},
		factCache:    map[*types.Func]*Accesses{},
		detachedMemo: map[*ssa.UnOp]bool{},
		chanCaps:     map[string]int64{},
		dcl:          map[ssa.Instruction]bool{},
	}
	notes, annotated := st.annotations()
	st.entry = st.entryHeld(notes)
	if !factscope.FactsOnly() {
		// Pairing goroutines yields findings only, which a facts-only
		// unit drops: the guards and summaries below are its facts.
		st.checkSpawns()
		st.checkDoubleChecked()
	}
	st.checkGuards(notes, annotated)
	st.flushReports()
	st.exportSummaries()
	return nil, nil
}

// checkSpawns pairs the accesses of each spawned goroutine with those of
// its spawner after the spawn, with other instances of itself, and with
// goroutines spawned after it by the same function.
func (st *state) checkSpawns() {
	byParent := map[*ssa.Function][]*goroutines.Spawn{}
	var parents []*ssa.Function
	bubbles := st.bubbles()
	for _, s := range st.g.Spawns {
		if s.Entry == nil && s.Invoke != nil && s.Parent != nil {
			s = st.resolveInvokeSpawn(s)
		}
		if s.Entry == nil || s.Parent != nil && inBubble(s.Parent, bubbles) {
			continue
		}
		if s.Site == nil {
			// A handler: its instances race with each other.
			g := st.handlerContext(s)
			st.pairInstances(s, g, nil)
			continue
		}
		if byParent[s.Parent] == nil {
			parents = append(parents, s.Parent)
		}
		byParent[s.Parent] = append(byParent[s.Parent], s)
	}
	async := map[*ssa.Function][]asyncSpawn{}
	gctx := map[*goroutines.Spawn]*context{}
	for _, p := range parents {
		spawns := byParent[p]
		gs := make([]*context, len(spawns))
		for i, s := range spawns {
			gs[i] = st.goroutineContext(s)
			gctx[s] = gs[i]
			if p.Parent() == nil && !waitsFor(st.continuation(s), gs[i]) {
				// A goroutine the function may leave running when it
				// returns: its callers' later accesses meet it too.
				async[p] = append(async[p], asyncSpawn{s, gs[i]})
			}
		}
		st.countSends(p, spawns, gs)
		st.relays = gs
		for i, s := range spawns {
			cont := st.continuation(s)
			st.pairSpawn(s, gs[i], cont)
			if s.Many {
				st.pairInstances(s, gs[i], cont)
			}
			for j := i + 1; j < len(spawns); j++ {
				switch {
				case st.reach.after(s.Site, spawns[j].Site):
					st.pairSiblings(s, gs[i], spawns[j], gs[j], cont)
				case st.reach.after(spawns[j].Site, s.Site):
					st.pairSiblings(spawns[j], gs[j], s, gs[i], st.continuation(spawns[j]))
				}
			}
		}
	}
	st.relays = nil
	st.checkAsyncCalls(async, bubbles, byParent, gctx)
	st.checkWorkerCallbacks(parents, byParent, gctx, bubbles)
	st.flushSiblings()
}
