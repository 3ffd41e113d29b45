package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const syncParentSrc = `package p

var sink func()

func f(x *int) {
	defer func() { *x = 1 }()   // f$1: deferred
	func() { *x = 2 }()         // f$2: called
	go func() { *x = 3 }()      // f$3: a goroutine
	sink = func() { *x = 4 }    // f$4: stored
	g := func() { *x = 5 }      // f$5: called twice through a local
	g()
	g()
	func() {
		func() { *x = 6 }()     // f$6$1: called inside a called literal
	}()
}
`

func TestSyncParent(t *testing.T) {
	pkg := buildSrc(t, syncParentSrc)
	f := pkg.Func("f")
	byName := map[string]*ssa.Function{}
	var walk func(fn *ssa.Function)
	walk = func(fn *ssa.Function) {
		byName[fn.Name()] = fn
		for _, a := range fn.AnonFuncs {
			walk(a)
		}
	}
	walk(f)
	for name, wantF := range map[string]bool{"f$1": true, "f$2": true, "f$3": false, "f$4": false, "f$5": true, "f$6$1": true} {
		fn := byName[name]
		if fn == nil {
			t.Fatalf("no function %s among %v", name, byName)
		}
		want := fn
		if wantF {
			want = f
		}
		if got := ssax.SyncParent(fn); got != want {
			t.Errorf("SyncParent(%s) = %s, want %s", name, got.Name(), want.Name())
		}
	}
	if got := ssax.SyncParent(f); got != f {
		t.Errorf("SyncParent(f) = %s, want f itself", got.Name())
	}
}
