package syncapi_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/syncvet/syncvet/internal/syncapi"
)

// errgroupSrc stands in for golang.org/x/sync/errgroup, which the
// module does not require.
const errgroupSrc = `package errgroup

import "context"

type Group struct{}

func WithContext(ctx context.Context) (*Group, context.Context) { return nil, ctx }
func (g *Group) Go(f func() error)           {}
func (g *Group) TryGo(f func() error) bool   { return false }
func (g *Group) Wait() error                 { return nil }
func (g *Group) SetLimit(n int)              {}
`

const src = `package p

import (
	"context"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

var (
	_ context.Context
	_ = sort.Slice
	_ = time.Now
)

type Counter = atomic.Int64

type Gate interface {
	Lock()
	Unlock()
	Name() string
}

type NotLocker interface {
	Lock() error
	Unlock()
}

type S struct {
	sync.Mutex
	n Counter
	p atomic.Pointer[int]
}

var _ errgroup.Group

func use(s *S, g Gate, x []int, c *sync.Cond) {
	s.Lock()
	s.n.Add(1)
	_ = s.p.Load()
	slices.SortFunc(x, func(a, b int) int { return a - b })
	g.Lock()
	g.Unlock()
	c.L.Lock()
	unlock := s.Mutex.Unlock
	unlock()
	(*sync.Mutex).TryLock(&s.Mutex)
}

func cas(s *S, v *int32) {
	atomic.CompareAndSwapInt32(v, 0, 1)
	s.p.CompareAndSwap(nil, nil)
	atomic.AddInt32(v, 1)
	s.p.Swap(nil)
}
`

type env struct {
	pkgs map[string]*types.Package
	p    *types.Package
	info *types.Info
	ssa  *ssa.Package
}

type mapImporter struct {
	extra map[string]*types.Package
	std   types.Importer
}

func (m mapImporter) Import(path string) (*types.Package, error) {
	if p, ok := m.extra[path]; ok {
		return p, nil
	}
	return m.std.Import(path)
}

func load(t *testing.T) *env {
	t.Helper()
	fset := token.NewFileSet()
	std := importer.Default()
	ef, err := parser.ParseFile(fset, "errgroup.go", errgroupSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	eg, err := (&types.Config{Importer: std}).Check("golang.org/x/sync/errgroup", fset, []*ast.File{ef}, nil)
	if err != nil {
		t.Fatal(err)
	}
	imp := mapImporter{extra: map[string]*types.Package{eg.Path(): eg}, std: std}
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, info, err := ssautil.BuildPackage(&types.Config{Importer: imp}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, ssa.InstantiateGenerics)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{pkgs: map[string]*types.Package{eg.Path(): eg}, p: pkg.Pkg, info: info, ssa: pkg}
	for _, imp := range pkg.Pkg.Imports() {
		e.pkgs[imp.Path()] = imp
	}
	return e
}

// lookup finds pkg.name, or the method name of pkg.typ.
func (e *env) lookup(t *testing.T, path, typ, name string) *types.Func {
	t.Helper()
	pkg := e.pkgs[path]
	if pkg == nil {
		for _, imp := range e.pkgs {
			for _, i := range imp.Imports() {
				if i.Path() == path {
					pkg = i
				}
			}
		}
	}
	if pkg == nil {
		t.Fatalf("package %s not loaded", path)
	}
	if typ == "" {
		f, ok := pkg.Scope().Lookup(name).(*types.Func)
		if !ok {
			t.Fatalf("no function %s.%s", path, name)
		}
		return f
	}
	tn, ok := pkg.Scope().Lookup(typ).(*types.TypeName)
	if !ok {
		t.Fatalf("no type %s.%s", path, typ)
	}
	recv := tn.Type()
	if !types.IsInterface(recv) {
		recv = types.NewPointer(recv)
	}
	obj, _, _ := types.LookupFieldOrMethod(recv, true, pkg, name)
	f, ok := obj.(*types.Func)
	if !ok {
		t.Fatalf("no method (%s.%s).%s", path, typ, name)
	}
	return f
}

func TestClassify(t *testing.T) {
	e := load(t)
	const eg = "golang.org/x/sync/errgroup"
	for _, tc := range []struct {
		pkg, typ, name string
		kind           syncapi.Kind
		typ2           syncapi.Type
		recv, fn       int
		run            syncapi.Run
	}{
		{"sync", "Mutex", "Lock", syncapi.Lock, syncapi.Mutex, 0, -1, syncapi.NoRun},
		{"sync", "Mutex", "Unlock", syncapi.Unlock, syncapi.Mutex, 0, -1, syncapi.NoRun},
		{"sync", "Mutex", "TryLock", syncapi.TryLock, syncapi.Mutex, 0, -1, syncapi.NoRun},
		{"sync", "RWMutex", "RLock", syncapi.RLock, syncapi.RWMutex, 0, -1, syncapi.NoRun},
		{"sync", "RWMutex", "RUnlock", syncapi.RUnlock, syncapi.RWMutex, 0, -1, syncapi.NoRun},
		{"sync", "RWMutex", "TryRLock", syncapi.TryRLock, syncapi.RWMutex, 0, -1, syncapi.NoRun},
		{"sync", "RWMutex", "RLocker", syncapi.RLocker, syncapi.RWMutex, 0, -1, syncapi.NoRun},
		{"sync", "Locker", "Lock", syncapi.Lock, syncapi.Locker, 0, -1, syncapi.NoRun},
		{"sync", "Locker", "Unlock", syncapi.Unlock, syncapi.Locker, 0, -1, syncapi.NoRun},
		{"sync", "WaitGroup", "Add", syncapi.WaitGroupAdd, syncapi.WaitGroup, 0, -1, syncapi.NoRun},
		{"sync", "WaitGroup", "Done", syncapi.WaitGroupDone, syncapi.WaitGroup, 0, -1, syncapi.NoRun},
		{"sync", "WaitGroup", "Wait", syncapi.WaitGroupWait, syncapi.WaitGroup, 0, -1, syncapi.NoRun},
		{"sync", "WaitGroup", "Go", syncapi.WaitGroupGo, syncapi.WaitGroup, 0, 1, syncapi.Goroutine},
		{eg, "Group", "Go", syncapi.GroupGo, syncapi.ErrGroup, 0, 1, syncapi.Goroutine},
		{eg, "Group", "TryGo", syncapi.GroupTryGo, syncapi.ErrGroup, 0, 1, syncapi.Goroutine},
		{eg, "Group", "Wait", syncapi.GroupWait, syncapi.ErrGroup, 0, -1, syncapi.NoRun},
		{eg, "Group", "SetLimit", syncapi.GroupSetLimit, syncapi.ErrGroup, 0, -1, syncapi.NoRun},
		{eg, "", "WithContext", syncapi.GroupWithContext, syncapi.ErrGroup, -1, -1, syncapi.NoRun},
		{"sync", "Once", "Do", syncapi.OnceDo, syncapi.Once, 0, 1, syncapi.Before},
		{"sync", "", "OnceFunc", syncapi.OnceFunc, syncapi.Once, -1, 0, syncapi.Later},
		{"sync", "", "OnceValue", syncapi.OnceFunc, syncapi.Once, -1, 0, syncapi.Later},
		{"sync", "", "OnceValues", syncapi.OnceFunc, syncapi.Once, -1, 0, syncapi.Later},
		{"sync", "", "NewCond", syncapi.NewCond, syncapi.Cond, -1, -1, syncapi.NoRun},
		{"sync", "Cond", "Wait", syncapi.CondWait, syncapi.Cond, 0, -1, syncapi.NoRun},
		{"sync", "Cond", "Signal", syncapi.CondSignal, syncapi.Cond, 0, -1, syncapi.NoRun},
		{"sync", "Cond", "Broadcast", syncapi.CondBroadcast, syncapi.Cond, 0, -1, syncapi.NoRun},
		{"sync", "Map", "Load", syncapi.MapLoad, syncapi.Map, 0, -1, syncapi.NoRun},
		{"sync", "Map", "Store", syncapi.MapUpdate, syncapi.Map, 0, -1, syncapi.NoRun},
		{"sync", "Map", "Range", syncapi.MapRange, syncapi.Map, 0, 1, syncapi.Before},
		{"sync/atomic", "", "AddInt64", syncapi.AtomicUpdate, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "", "LoadPointer", syncapi.AtomicLoad, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "", "StoreUint32", syncapi.AtomicStore, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "", "CompareAndSwapInt32", syncapi.AtomicUpdate, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "", "OrUint64", syncapi.AtomicUpdate, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "Int64", "Load", syncapi.AtomicLoad, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "Bool", "Store", syncapi.AtomicStore, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"sync/atomic", "Value", "Swap", syncapi.AtomicUpdate, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"time", "", "AfterFunc", syncapi.AfterFunc, syncapi.Timer, -1, 1, syncapi.Goroutine},
		{"time", "", "NewTimer", syncapi.NewTimer, syncapi.Timer, -1, -1, syncapi.NoRun},
		{"time", "Timer", "Reset", syncapi.TimerReset, syncapi.Timer, 0, -1, syncapi.NoRun},
		{"time", "Timer", "Stop", syncapi.TimerStop, syncapi.Timer, 0, -1, syncapi.NoRun},
		{"time", "Ticker", "Reset", syncapi.TickerReset, syncapi.Ticker, 0, -1, syncapi.NoRun},
		{"time", "", "Sleep", syncapi.Sleep, syncapi.Timer, -1, -1, syncapi.NoRun},
		{"time", "", "After", syncapi.After, syncapi.Timer, -1, -1, syncapi.NoRun},
		{"time", "", "Tick", syncapi.Tick, syncapi.Ticker, -1, -1, syncapi.NoRun},
		{"context", "", "WithCancel", syncapi.WithCancel, syncapi.Context, -1, -1, syncapi.NoRun},
		{"context", "", "WithCancelCause", syncapi.WithCancel, syncapi.Context, -1, -1, syncapi.NoRun},
		{"context", "", "WithTimeoutCause", syncapi.WithTimeout, syncapi.Context, -1, -1, syncapi.NoRun},
		{"context", "", "WithDeadline", syncapi.WithDeadline, syncapi.Context, -1, -1, syncapi.NoRun},
		{"context", "", "AfterFunc", syncapi.ContextAfterFunc, syncapi.Context, 0, 1, syncapi.Goroutine},
		{"context", "Context", "Done", syncapi.ContextDone, syncapi.Context, 0, -1, syncapi.NoRun},
		{"context", "Context", "Err", syncapi.ContextErr, syncapi.Context, 0, -1, syncapi.NoRun},
		{"slices", "", "SortFunc", syncapi.Callback, syncapi.NoType, -1, 1, syncapi.Before},
		{"slices", "", "BinarySearchFunc", syncapi.Callback, syncapi.NoType, -1, 2, syncapi.Before},
		{"sort", "", "Slice", syncapi.Callback, syncapi.NoType, -1, 1, syncapi.Before},

		// Not sync operations.
		{"sync", "Pool", "Get", syncapi.None, syncapi.NoType, -1, -1, syncapi.NoRun},
		{"sync/atomic", "Value", "Load", syncapi.AtomicLoad, syncapi.Atomic, 0, -1, syncapi.NoRun},
		{"slices", "", "Sort", syncapi.None, syncapi.NoType, -1, -1, syncapi.NoRun},
		{"time", "", "Now", syncapi.None, syncapi.NoType, -1, -1, syncapi.NoRun},
	} {
		fn := e.lookup(t, tc.pkg, tc.typ, tc.name)
		got := syncapi.Classify(fn)
		want := syncapi.Op{Kind: tc.kind, Type: tc.typ2, Recv: tc.recv, Func: tc.fn, Run: tc.run}
		if got != want {
			t.Errorf("Classify(%s) = %+v, want %+v", fn.FullName(), got, want)
		}
	}
	if got := syncapi.Classify(nil); got.Kind != syncapi.None || got.Recv != -1 || got.Func != -1 {
		t.Errorf("Classify(nil) = %+v", got)
	}
}

func TestOpPredicates(t *testing.T) {
	for _, tc := range []struct {
		kind                               syncapi.Kind
		acquire, release, try, read, spawn bool
	}{
		{syncapi.Lock, true, false, false, false, false},
		{syncapi.RLock, true, false, false, true, false},
		{syncapi.TryLock, true, false, true, false, false},
		{syncapi.TryRLock, true, false, true, true, false},
		{syncapi.Unlock, false, true, false, false, false},
		{syncapi.RUnlock, false, true, false, true, false},
		{syncapi.RLocker, false, false, false, false, false},
		{syncapi.WaitGroupWait, false, false, false, false, false},
	} {
		o := syncapi.Op{Kind: tc.kind}
		if o.Acquire() != tc.acquire || o.Release() != tc.release || o.Try() != tc.try || o.Read() != tc.read || o.Spawns() != tc.spawn {
			t.Errorf("%v: acquire %v release %v try %v read %v spawns %v", tc.kind, o.Acquire(), o.Release(), o.Try(), o.Read(), o.Spawns())
		}
	}
	if s := syncapi.Callback.String(); s != "Callback" {
		t.Errorf("Callback.String() = %q", s)
	}
}

// TestCalls classifies the calls of use in src: through an embedded
// mutex, an alias of an atomic type, a generic instantiation, a
// look-alike Locker interface, a Cond's L, a bound method value (not
// classified) and a method expression (classified).
func TestCalls(t *testing.T) {
	e := load(t)
	fn := e.ssa.Func("use")
	var got []string
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			op := syncapi.Call(c.Common())
			got = append(got, op.Kind.String())
			if op.Recv >= 0 && op.RecvArg(c.Common()) == nil {
				t.Errorf("%v: no receiver argument", op.Kind)
			}
			if op.Func >= 0 && op.FuncArg(c.Common()) == nil {
				t.Errorf("%v: no function argument", op.Kind)
			}
		}
	}
	want := []string{"Lock", "AtomicUpdate", "AtomicLoad", "Callback", "Lock", "Unlock", "Lock", "None", "TryLock"}
	if len(got) != len(want) {
		t.Fatalf("calls classified as %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d classified as %s, want %s (all: %v)", i, got[i], want[i], got)
		}
	}
}

// TestCompareAndSwap: the function and the method forms are
// compare-and-swaps; Add and Swap, also AtomicUpdate, are not.
func TestCompareAndSwap(t *testing.T) {
	e := load(t)
	var got []bool
	for _, b := range e.ssa.Func("cas").Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok {
				got = append(got, syncapi.CompareAndSwap(c.Common()))
			}
		}
	}
	want := []bool{true, true, false, false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CompareAndSwap over cas's calls = %v, want %v", got, want)
	}
}

func TestTypes(t *testing.T) {
	e := load(t)
	scope := e.p.Scope()
	counter := scope.Lookup("Counter").Type()
	if !syncapi.IsAtomicType(counter) || !syncapi.IsAtomicType(types.NewPointer(counter)) {
		t.Errorf("IsAtomicType(Counter) = false for an alias of atomic.Int64")
	}
	if !syncapi.IsSyncType(counter) {
		t.Errorf("IsSyncType(Counter) = false")
	}
	s := scope.Lookup("S").Type()
	if syncapi.IsAtomicType(s) || syncapi.IsSyncType(s) {
		t.Errorf("S is taken for a sync type")
	}
	st := s.Underlying().(*types.Struct)
	if got := syncapi.LockType(st.Field(0).Type()); got != syncapi.Mutex {
		t.Errorf("LockType(sync.Mutex) = %v", got)
	}
	if got := syncapi.LockType(types.NewPointer(st.Field(0).Type())); got != syncapi.NoType {
		t.Errorf("LockType(*sync.Mutex) = %v, want NoType", got)
	}
	if !syncapi.IsLocker(scope.Lookup("Gate").Type()) {
		t.Errorf("IsLocker(Gate) = false")
	}
	if syncapi.IsLocker(scope.Lookup("NotLocker").Type()) {
		t.Errorf("IsLocker(NotLocker) = true: its Lock returns an error")
	}
	cond := e.pkgs["sync"].Scope().Lookup("Cond").Type()
	l := -1
	cst := cond.Underlying().(*types.Struct)
	for i := 0; i < cst.NumFields(); i++ {
		if cst.Field(i).Name() == "L" {
			l = i
		}
	}
	if !syncapi.IsCondL(types.NewPointer(cond), l) {
		t.Errorf("IsCondL(*sync.Cond, L) = false")
	}
	if syncapi.IsCondL(types.NewPointer(cond), l+1) || syncapi.IsCondL(types.NewPointer(s), 0) {
		t.Errorf("IsCondL accepts another field")
	}
	gate := scope.Lookup("Gate").Type()
	lock, _, _ := types.LookupFieldOrMethod(gate, false, e.p, "Lock")
	if op := syncapi.Method(gate, lock.(*types.Func)); op.Kind != syncapi.Lock || op.Type != syncapi.Locker {
		t.Errorf("Method(Gate, Lock) = %+v", op)
	}
	name, _, _ := types.LookupFieldOrMethod(gate, false, e.p, "Name")
	if op := syncapi.Method(gate, name.(*types.Func)); op.Kind != syncapi.None {
		t.Errorf("Method(Gate, Name) = %+v", op)
	}
}
