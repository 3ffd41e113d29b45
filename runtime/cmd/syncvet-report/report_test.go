package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const textOutput = `goos: linux
goarch: amd64
pkg: github.com/syncvet/syncvet/runtime/strategies
cpu: Test CPU @ 3.0GHz
BenchmarkCounter/mutex           	 3421347	        29.75 ns/op
BenchmarkCounter/mutex-2         	 8657016	        19.72 ns/op
BenchmarkCounter/mutex-2         	 8657016	        21.72 ns/op
BenchmarkCounter/mutex-2         	 8657016	        99.00 ns/op
BenchmarkCounter/io-unlocked-2   	     100	    437696 ns/op
BenchmarkCounter/shards-16       	100000000	         0.16 ns/op
PASS
ok  	github.com/syncvet/syncvet/runtime/strategies	8.793s
pkg: github.com/syncvet/syncvet/runtime/sched
BenchmarkSpawn/thread-2          	    2761	     60319 ns/op	         1.000 threads/op
BenchmarkStack                   	    7932	     15693 ns/op	      2078 stack-B/goroutine
`

// jsonOutput is go test -json output, in which a benchmark's name and
// its numbers arrive as separate output events.
const jsonOutput = `{"Action":"start","Package":"example.com/p"}
{"Action":"output","Package":"example.com/p","Output":"cpu: JSON CPU\n"}
{"Action":"output","Package":"example.com/p","Output":"BenchmarkPingPong/goroutines-4   \t"}
{"Action":"output","Package":"example.com/p","Output":"  308505\t       627.2 ns/op\n"}
{"Action":"pass","Package":"example.com/p"}
`

func TestParseText(t *testing.T) {
	rs := new(results)
	if err := rs.parse(strings.NewReader(textOutput)); err != nil {
		t.Fatal(err)
	}
	if rs.cpu != "Test CPU @ 3.0GHz" || rs.goos != "linux" || len(rs.pkgs) != 2 {
		t.Errorf("headers: cpu %q goos %q pkgs %v", rs.cpu, rs.goos, rs.pkgs)
	}
	if len(rs.list) != 8 {
		t.Fatalf("%d results, want 8: %+v", len(rs.list), rs.list)
	}
	r := rs.list[4]
	if r.group != "Counter" || r.strategy != "io-unlocked" || r.cores != 2 || r.nsPerOp != 437696 {
		t.Errorf("io-unlocked line parsed as %+v", r)
	}
	if r := rs.list[0]; r.cores != 1 || r.strategy != "mutex" {
		t.Errorf("a name without -N suffix parsed as %+v", r)
	}
	if r := rs.list[6]; r.metrics["threads/op"] != 1 {
		t.Errorf("metrics of %+v", r)
	}
	if r := rs.list[7]; r.group != "Stack" || r.strategy != "" || r.metrics["stack-B/goroutine"] != 2078 {
		t.Errorf("Stack line parsed as %+v", r)
	}
	tables := rs.tables()
	if len(tables) != 3 || tables[0].group != "Counter" {
		t.Fatalf("tables: %+v", tables)
	}
	c := tables[0]
	if got := median(c.cells["mutex"][2].ns); got != 21.72 {
		t.Errorf("median of the three mutex-2 runs = %v, want 21.72", got)
	}
	if len(c.cores) != 3 || c.cores[0] != 1 || c.cores[2] != 16 {
		t.Errorf("core counts %v, want [1 2 16]", c.cores)
	}
}

func TestParseJSON(t *testing.T) {
	rs := new(results)
	if err := rs.parse(strings.NewReader(jsonOutput)); err != nil {
		t.Fatal(err)
	}
	if len(rs.list) != 1 || rs.cpu != "JSON CPU" {
		t.Fatalf("results %+v, cpu %q", rs.list, rs.cpu)
	}
	if r := rs.list[0]; r.group != "PingPong" || r.strategy != "goroutines" || r.cores != 4 || r.nsPerOp != 627.2 {
		t.Errorf("parsed %+v", r)
	}
}

func TestWrite(t *testing.T) {
	rs := new(results)
	if err := rs.parse(strings.NewReader(textOutput)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := write(dir, rs, machine{label: "test machine"}, "svg"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| machine | test machine |",
		"![Shared counter](counter.svg)",
		"| ns/op | 1 core | 2 cores | 16 cores |",
		"| mutex | 29.8 | 21.7 | |",
		"| shards | | | 0.16 |",
		"| threads/op | 2 cores |",
		"| stack-B/goroutine | 1 core |",
		"| Stack | 2078 |",
		// The instructions name the packages as seen from runtime/, the
		// module that holds them and this command.
		"CGO_ENABLED=0 go test -c -o strategies.test ./strategies\n",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("README.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(md), "stack.svg") {
		t.Errorf("the Stack group got a chart; its story is the metric table")
	}
	for _, name := range []string{"counter.svg", "spawn.svg"} {
		svg, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<svg", "Shared counter", "mutex", "io-unlocked"} {
			if name == "counter.svg" && !strings.Contains(string(svg), want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		if !strings.Contains(string(svg), "<svg") {
			t.Errorf("%s is not an SVG", name)
		}
	}
}

func TestHuman(t *testing.T) {
	for v, want := range map[float64]string{0.16: "0.16", 2.4: "2.40", 19.72: "19.7", 437696: "437696", 0: "0"} {
		if got := human(v); got != want {
			t.Errorf("human(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestMetaRoundTrip(t *testing.T) {
	rs := new(results)
	in := "syncvet-report-machine: 16 cores\nsyncvet-report-date: 2026-01-02\n" + textOutput
	if err := rs.parse(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if rs.meta["machine"] != "16 cores" || rs.meta["date"] != "2026-01-02" {
		t.Errorf("meta = %v", rs.meta)
	}
	if len(rs.list) != 8 {
		t.Errorf("%d results, want 8", len(rs.list))
	}
}
