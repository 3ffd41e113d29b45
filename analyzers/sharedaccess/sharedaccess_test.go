package sharedaccess_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/sharedaccess"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/basic")
}

func TestGuards(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/guards")
}

func TestLoops(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/loops")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/closures")
}

func TestCrossPkg(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/crosspkg/...")
}

// TestRegress runs the clean look-alikes found in the standard library.
func TestRegress(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/regress")
}

// TestFacts checks that the facts survive a gob round-trip, encode to
// identical bytes twice, and stay within their size budgets (an
// Accesses fact at its cap of entries under 4 KiB).
func TestFacts(t *testing.T) {
	acc := &sharedaccess.Accesses{}
	for i := 0; i < 24; i++ {
		acc.List = append(acc.List, sharedaccess.Access{
			Param: i % 3, Path: ".field" + strings.Repeat("x", i%5) + "*.inner", Name: ".field.inner", Write: i%2 == 0,
			Locks: []string{"(*example.com/some/pkg.Type).mu"},
		})
	}
	facts := []any{acc, &sharedaccess.Guarded{Lock: "mu", Class: "(*example.com/cache.Cache).mu"}}
	budgets := []int{4096, 256}
	for i, f := range facts {
		enc := func() []byte {
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(f); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		a, b := enc(), enc()
		if !bytes.Equal(a, b) {
			t.Errorf("%T: encoding not deterministic", f)
		}
		if len(a) > budgets[i] {
			t.Errorf("%T: %d bytes, budget %d", f, len(a), budgets[i])
		}
		out := reflect.New(reflect.TypeOf(f).Elem()).Interface()
		if err := gob.NewDecoder(bytes.NewReader(a)).Decode(out); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(out) != fmt.Sprint(f) {
			t.Errorf("round trip: got %v, want %v", out, f)
		}
	}
}

func TestGuardMain(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/guardmain")
}

// TestRecall runs fixtures of real-world race shapes: semaphores, loops
// over whole slices, lazy initialisation, callbacks and interfaces.
func TestRecall(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/recall")
}

// TestPublish: a write followed by close(ch) is ordered before a read
// that follows a receive from ch, when nothing else sends on ch.
func TestPublish(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/publish")
}

// TestFanout: many goroutines of one function racing on one variable
// are one finding.
func TestFanout(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/fanout")
}

// TestOpenInterface: calls through an exported interface are not
// resolved to the package's only implementation.
func TestOpenInterface(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/openiface/...")
}

// TestLoopVar: a loop variable shared by the iterations (before Go
// 1.22), read by a goroutine that ends the loop body, is left to vet's
// loopclosure, which reports it at the same place.
func TestLoopVar(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/modules/loopvar")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, sharedaccess.Analyzer, "example.com/loopvar/lv")
}

// TestMixMain: a plain write in main before any goroutine starts is
// set-up, not a mix with the atomics that follow.
func TestMixMain(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/mixmain")
}

// TestAPI: goroutines an exported constructor leaves running, beside
// the exported methods of the object it returns.
// TestChanClose: a close that may run beside a send on the channel or
// another close, and the designs that order them.
func TestChanClose(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/chanclose")
}

// TestDoubleChecked: a lazy initialisation tested first without its
// lock, and the safe ways to do it.
func TestDoubleChecked(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/dcl")
}

// TestSetUpFirst: a read without the lock of what a locked set-up
// helper wrote, in a function reached only after a call of the helper.
func TestSetUpFirst(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/setupfirst")
}

func TestAPI(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/api")
}
