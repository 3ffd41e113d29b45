// Package syncapi is the one table of what a synchronisation-relevant
// call means: mutex operations, WaitGroup, errgroup, Once, Cond,
// sync/atomic, sync.Map, timers, context, testing/synctest, the
// functions that start a goroutine, and the standard-library functions
// that run a callback before they return.
//
// Every pass and analyzer asks it instead of matching names itself. It
// is keyed by *types.Func (the origin of a generic instantiation) and,
// for atomics and locks, by types, with aliases unwrapped. It holds no
// analysis state.
package syncapi

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Kind is what a call does.
type Kind uint8

// The kinds of call. Recv and Func in the Op say which arguments are
// the synchronisation object and the function the call runs.
const (
	None Kind = iota

	// Mutexes: Type is Mutex, RWMutex or Locker (the sync.Locker
	// interface, or any interface with Lock() and Unlock()).
	Lock
	Unlock
	RLock
	RUnlock
	TryLock
	TryRLock
	RLocker // (*sync.RWMutex).RLocker: a Locker for the read lock

	// sync.WaitGroup.
	WaitGroupAdd
	WaitGroupDone
	WaitGroupWait
	WaitGroupGo // runs Func on a new goroutine of the group

	// golang.org/x/sync/errgroup.
	GroupGo    // runs Func on a new goroutine of the group
	GroupTryGo // the same, when below the limit
	GroupWait
	GroupSetLimit
	GroupWithContext

	// sync.Once and its function forms.
	OnceDo   // runs Func before returning, the first time
	OnceFunc // sync.OnceFunc, OnceValue, OnceValues: Func runs once, when the result is called

	// sync.Cond.
	NewCond // Arg 0 is the Locker
	CondWait
	CondSignal
	CondBroadcast

	// sync/atomic: the package functions (Recv is the address) and the
	// methods of the atomic types (Recv is the value).
	AtomicLoad
	AtomicStore
	AtomicUpdate // Add, Swap, CompareAndSwap, And, Or

	// sync.Map.
	MapLoad   // Load
	MapUpdate // Store, LoadOrStore, LoadAndDelete, Delete, Swap, CompareAndSwap, CompareAndDelete, Clear
	MapRange  // runs Func before returning, once per entry

	// time.
	AfterFunc // time.AfterFunc: runs Func on a new goroutine after the delay
	NewTimer
	NewTicker
	TimerReset
	TimerStop
	TickerReset
	TickerStop
	Sleep
	After
	Tick

	// context.
	WithCancel   // WithCancel, WithCancelCause
	WithTimeout  // WithTimeout, WithTimeoutCause
	WithDeadline // WithDeadline, WithDeadlineCause
	ContextAfterFunc
	ContextDone
	ContextErr

	// testing/synctest (and internal/synctest, std's own copy).
	SynctestRun  // runs Func in a bubble and waits for it
	SynctestTest // the same, with a *testing.T
	SynctestWait // every other goroutine of the bubble is durably blocked

	// Other golang.org/x/sync primitives.
	SemaphoreAcquire
	SingleflightDo

	// Callback is a standard-library function that calls its function
	// argument Func before it returns, on the caller's goroutine:
	// sort.Slice, slices.SortFunc, strings.Map, ...
	Callback

	numKinds
)

var kindNames = [numKinds]string{
	"None", "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock", "RLocker",
	"WaitGroupAdd", "WaitGroupDone", "WaitGroupWait", "WaitGroupGo",
	"GroupGo", "GroupTryGo", "GroupWait", "GroupSetLimit", "GroupWithContext",
	"OnceDo", "OnceFunc",
	"NewCond", "CondWait", "CondSignal", "CondBroadcast",
	"AtomicLoad", "AtomicStore", "AtomicUpdate",
	"MapLoad", "MapUpdate", "MapRange",
	"AfterFunc", "NewTimer", "NewTicker", "TimerReset", "TimerStop", "TickerReset", "TickerStop", "Sleep", "After", "Tick",
	"WithCancel", "WithTimeout", "WithDeadline", "ContextAfterFunc", "ContextDone", "ContextErr",
	"SynctestRun", "SynctestTest", "SynctestWait",
	"SemaphoreAcquire", "SingleflightDo",
	"Callback",
}

func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Type is the synchronisation type an operation acts on.
type Type uint8

// The types.
const (
	NoType Type = iota
	Mutex
	RWMutex
	Locker
	WaitGroup
	ErrGroup
	Once
	Cond
	Atomic
	Map
	Timer
	Ticker
	Context
	Semaphore
	Singleflight
)

var typeNames = [...]string{
	NoType: "", Mutex: "sync.Mutex", RWMutex: "sync.RWMutex", Locker: "sync.Locker",
	WaitGroup: "sync.WaitGroup", ErrGroup: "errgroup.Group", Once: "sync.Once", Cond: "sync.Cond",
	Atomic: "atomic", Map: "sync.Map", Timer: "time.Timer", Ticker: "time.Ticker",
	Context: "context.Context", Semaphore: "semaphore.Weighted", Singleflight: "singleflight.Group",
}

// String returns the type's Go name, qualified by its package's name
// ("sync.Mutex"; "atomic" for all of sync/atomic's types), or "" for
// NoType.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(?)"
}

// types maps named types to their Type; sync/atomic's are all Atomic.
var typeTable = map[[2]string]Type{
	{"sync", "Mutex"}: Mutex, {"sync", "RWMutex"}: RWMutex, {"sync", "Locker"}: Locker,
	{"sync", "WaitGroup"}: WaitGroup, {"sync", "Once"}: Once, {"sync", "Cond"}: Cond, {"sync", "Map"}: Map,
	{errgroupPath, "Group"}: ErrGroup,
	{"time", "Timer"}:       Timer, {"time", "Ticker"}: Ticker,
	{"context", "Context"}:                      Context,
	{"golang.org/x/sync/semaphore", "Weighted"}: Semaphore,
	{"golang.org/x/sync/singleflight", "Group"}: Singleflight,
}

// TypeOf returns the synchronisation type that t is, or points to, by
// its name (sync.Locker itself, not any interface like it), aliases
// unwrapped; NoType if none.
func TypeOf(t types.Type) Type {
	path, name := named(t)
	if path == "sync/atomic" {
		return Atomic
	}
	return typeTable[[2]string{path, name}]
}

// Run says how a call runs its function argument.
type Run uint8

// The ways of running Func.
const (
	NoRun     Run = iota
	Before        // on the caller's goroutine, before the call returns
	Goroutine     // on a new goroutine
	Later         // when the function the call returns is called
	Bubble        // on a new goroutine of a synctest bubble, which the call waits for
)

// Op is what a call of one function means.
type Op struct {
	Kind Kind
	Type Type
	// Recv is the index of the synchronisation object among the call's
	// arguments, receiver first (as in a static SSA call), or -1.
	Recv int
	// Func is the index of the function argument that the call runs
	// (receiver first), or -1; Run says how it runs.
	Func int
	Run  Run
}

// Acquire reports whether the op acquires a lock (Lock, RLock,
// TryLock, TryRLock).
func (o Op) Acquire() bool {
	switch o.Kind {
	case Lock, RLock, TryLock, TryRLock:
		return true
	}
	return false
}

// Release reports whether the op releases a lock (Unlock, RUnlock).
func (o Op) Release() bool { return o.Kind == Unlock || o.Kind == RUnlock }

// Try reports whether the op acquires a lock only when it is free.
func (o Op) Try() bool { return o.Kind == TryLock || o.Kind == TryRLock }

// Read reports whether the op acts on the read side of an RWMutex.
func (o Op) Read() bool { return o.Kind == RLock || o.Kind == RUnlock || o.Kind == TryRLock }

// Atomic reports whether the op is a sync/atomic operation.
func (o Op) Atomic() bool { return o.Type == Atomic }

// Spawns reports whether the op starts its function argument on a new
// goroutine (WaitGroup.Go, errgroup Go and TryGo, time.AfterFunc,
// context.AfterFunc).
func (o Op) Spawns() bool { return o.Run == Goroutine }

// Arg returns the call's i-th argument, receiver first, whether c is a
// static call (receiver in Args[0]) or an interface call (receiver in
// Value), or nil when i is out of range.
func Arg(c *ssa.CallCommon, i int) ssa.Value {
	if i < 0 {
		return nil
	}
	if c.IsInvoke() {
		if i == 0 {
			return c.Value
		}
		i--
	}
	if i >= len(c.Args) {
		return nil
	}
	return c.Args[i]
}

// RecvArg returns the synchronisation object of call c classified as
// o, or nil.
func (o Op) RecvArg(c *ssa.CallCommon) ssa.Value { return Arg(c, o.Recv) }

// FuncArg returns the function argument that call c classified as o
// runs, or nil.
func (o Op) FuncArg(c *ssa.CallCommon) ssa.Value { return Arg(c, o.Func) }

var noOp = Op{Recv: -1, Func: -1}

// Classify returns what a call of fn means (the zero Kind None when
// nothing). An instance of a generic function is classified by its
// origin. An interface method named Lock or Unlock, of an interface
// with Lock() and Unlock(), is a Locker operation.
func Classify(fn *types.Func) Op {
	if fn == nil {
		return noOp
	}
	fn = fn.Origin()
	pkg := fn.Pkg()
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return noOp
	}
	recv := ""
	var recvType types.Type
	if r := sig.Recv(); r != nil {
		recvType = deref(r.Type())
		if n, ok := recvType.(*types.Named); ok {
			recv = n.Obj().Name()
		}
	}
	if pkg != nil {
		path := pkg.Path()
		if path == "sync/atomic" {
			return atomicOp(fn.Name())
		}
		if op, ok := table[key{path, recv, fn.Name()}]; ok {
			return op
		}
	}
	if recvType != nil && IsLocker(recvType) {
		return lockerOp(fn.Name())
	}
	return noOp
}

// Method returns what a call of method m on a receiver of static type
// recv means: for an interface call, recv is the interface type, and a
// Lock or Unlock through any interface with Lock() and Unlock() is a
// Locker operation.
func Method(recv types.Type, m *types.Func) Op {
	if recv != nil && types.IsInterface(recv) && IsLocker(recv) {
		if op := lockerOp(m.Name()); op.Kind != None {
			return op
		}
	}
	return Classify(m)
}

func lockerOp(name string) Op {
	switch name {
	case "Lock":
		return Op{Kind: Lock, Type: Locker, Recv: 0, Func: -1}
	case "Unlock":
		return Op{Kind: Unlock, Type: Locker, Recv: 0, Func: -1}
	}
	return noOp
}

// Func returns what a call of the SSA function fn means: the
// classification of its origin's object. A thunk (a method
// expression, receiver first) is its method; a bound method wrapper
// (x.M as a value) is nothing, since its calls lack the receiver.
func Func(fn *ssa.Function) Op {
	if fn == nil || strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		return noOp
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, _ := fn.Object().(*types.Func)
	return Classify(obj)
}

// Call returns what the SSA call c means: its static callee's op, or
// for an interface call the op of the method on the interface type.
func Call(c *ssa.CallCommon) Op {
	if c.IsInvoke() {
		return Method(c.Value.Type(), c.Method)
	}
	return Func(c.StaticCallee())
}

// CompareAndSwap reports whether c is a compare-and-swap of sync/atomic
// (a function, or a method of one of its types), an AtomicUpdate that
// succeeds only when the old value matches.
func CompareAndSwap(c *ssa.CallCommon) bool {
	if Call(c).Kind != AtomicUpdate {
		return false
	}
	name := ""
	if c.IsInvoke() {
		name = c.Method.Name()
	} else if f := c.StaticCallee(); f != nil {
		name = f.Name()
	}
	return strings.HasPrefix(name, "CompareAndSwap")
}

// atomicOp classifies a function of sync/atomic or a method of one of
// its types: the address (function) or the value (method) is argument
// 0 either way.
func atomicOp(name string) Op {
	kind := None
	switch {
	case strings.HasPrefix(name, "Load"):
		kind = AtomicLoad
	case strings.HasPrefix(name, "Store"):
		kind = AtomicStore
	case strings.HasPrefix(name, "Add"), strings.HasPrefix(name, "Swap"), strings.HasPrefix(name, "CompareAndSwap"),
		strings.HasPrefix(name, "And"), strings.HasPrefix(name, "Or"):
		kind = AtomicUpdate
	}
	if kind == None {
		return noOp
	}
	return Op{Kind: kind, Type: Atomic, Recv: 0, Func: -1}
}

func deref(t types.Type) types.Type {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		return types.Unalias(p.Elem())
	}
	return t
}

// named returns the package path and name of the named type t (or of
// the type t points to), aliases unwrapped.
func named(t types.Type) (path, name string) {
	n, ok := deref(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return "", ""
	}
	return n.Obj().Pkg().Path(), n.Obj().Name()
}

// IsCancelFunc reports whether t is context.CancelFunc or
// context.CancelCauseFunc: calling one cancels a context, a stop signal
// to whatever waits on its Done channel.
func IsCancelFunc(t types.Type) bool {
	path, name := named(t)
	return path == "context" && (name == "CancelFunc" || name == "CancelCauseFunc")
}

// IsAtomicType reports whether t (or the type t points to) is a type of
// package sync/atomic, aliases unwrapped.
func IsAtomicType(t types.Type) bool { return TypeOf(t) == Atomic }

// IsSyncPackage reports whether path is package sync, whose types and
// functions the table describes (a package that imports it may lock).
func IsSyncPackage(path string) bool { return path == "sync" }

// IsSyncType reports whether t (or the type t points to) is a type of
// package sync or sync/atomic, aliases unwrapped: memory that
// synchronises itself.
func IsSyncType(t types.Type) bool {
	path, _ := named(t)
	return path == "sync" || path == "sync/atomic"
}

// LockType returns Mutex or RWMutex when t is sync.Mutex or
// sync.RWMutex (not a pointer to one), aliases unwrapped; else NoType.
func LockType(t types.Type) Type {
	if _, ok := types.Unalias(t).(*types.Pointer); ok {
		return NoType
	}
	if k := TypeOf(t); k == Mutex || k == RWMutex {
		return k
	}
	return NoType
}

// IsLocker reports whether t is an interface with the methods Lock()
// and Unlock() (sync.Locker or a look-alike).
func IsLocker(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	n := 0
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		sig := m.Type().(*types.Signature)
		if (m.Name() == "Lock" || m.Name() == "Unlock") && sig.Params().Len() == 0 && sig.Results().Len() == 0 {
			n++
		}
	}
	return n == 2
}

// IsCondL reports whether field i of the struct that ptr points to is
// the L field (the Locker) of a sync.Cond.
func IsCondL(ptr types.Type, i int) bool {
	if TypeOf(ptr) != Cond {
		return false
	}
	st, ok := deref(ptr).Underlying().(*types.Struct)
	return ok && i >= 0 && i < st.NumFields() && st.Field(i).Name() == "L"
}

// IsTimerChan reports whether v is the channel of a timer or ticker: a
// time.After or time.Tick result, or the C field of a *time.Timer or
// *time.Ticker. A select with a case on one waits a bounded time.
func IsTimerChan(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.Call:
			switch Call(&x.Call).Kind {
			case After, Tick:
				return true
			}
			return false
		case *ssa.UnOp:
			fa, ok := x.X.(*ssa.FieldAddr)
			if x.Op != token.MUL || !ok {
				return false
			}
			switch TypeOf(fa.X.Type()) {
			case Timer, Ticker:
				return true
			}
			return false
		}
		return false
	}
}

// BoundRelease returns the lock whose Unlock or RUnlock method the
// closure mc binds as a function value (mu.Unlock handed out as a
// callback, or to once.Do or sync.OnceFunc), or nil.
func BoundRelease(mc *ssa.MakeClosure) ssa.Value {
	g, _ := mc.Fn.(*ssa.Function)
	if g == nil || len(mc.Bindings) != 1 || !strings.HasPrefix(g.Synthetic, "bound method wrapper") {
		return nil
	}
	m, ok := g.Object().(*types.Func)
	if !ok {
		return nil
	}
	var recv types.Type
	if sig, ok := m.Type().(*types.Signature); ok && sig.Recv() != nil {
		recv = sig.Recv().Type()
	}
	if !Method(recv, m).Release() {
		return nil
	}
	return mc.Bindings[0]
}
