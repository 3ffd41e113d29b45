package goroutineleak_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/goroutineleak"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/basic")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/closures")
}

func TestCrossPkg(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/crosspkg/...")
}

func TestWaitGroup(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/waitgroup")
}

func TestCond(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/cond")
}

func TestNilChan(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/nilchan")
}

func TestProducer(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/producer")
}

func TestOneSided(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/onesided")
}

func TestTimerDrain(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/timerdrain")
}

// TestUnstoppable: goroutines that their type's Close cannot end.
func TestUnstoppable(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutineleak.Analyzer, "goroutineleak/unstoppable")
}
