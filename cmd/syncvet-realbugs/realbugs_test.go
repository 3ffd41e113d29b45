package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	f, err := os.Open("../../testdata/realbugs/bugs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bugs, err := readTable(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(bugs) < 15 {
		t.Errorf("the table has %d bugs, want at least 15", len(bugs))
	}
	checks := map[string]bool{"sharedaccess": true, "lockorder": true, "overlock": true, "goroutineleak": true}
	for _, b := range bugs {
		if !checks[b.Check] {
			t.Errorf("%s: check %q is not one of syncvet's", b.ID, b.Check)
		}
		if b.Buggy == b.Fixed {
			t.Errorf("%s: the buggy and fixed releases are both %s", b.ID, b.Buggy)
		}
		if !strings.HasPrefix(b.Fix, "https://") {
			t.Errorf("%s: fix %q is not a link", b.ID, b.Fix)
		}
	}
}

func TestReadTableErrors(t *testing.T) {
	header := strings.Join(columns, "\t") + "\n"
	row := "a\tm\tv1.0.0\tv1.0.1\tm/p\tp/f.go\t(*T).F\tsharedaccess\thttps://x\twhat\n"
	for name, text := range map[string]string{
		"no header":      row,
		"bad header":     "id\tmodule\n" + row,
		"short row":      header + "a\tm\tv1\n",
		"duplicate id":   header + row + row,
		"outside module": header + strings.Replace(row, "m/p", "other/p", 1),
		"bad function":   header + strings.Replace(row, "(*T).F", "a.b.c", 1),
	} {
		if _, err := readTable(strings.NewReader(text)); err == nil {
			t.Errorf("%s: readTable accepted %q", name, text)
		}
	}
	bugs, err := readTable(strings.NewReader("# comment\n" + header + row))
	if err != nil || len(bugs) != 1 || bugs[0].Funcs[0] != "(*T).F" {
		t.Errorf("readTable = %+v, %v; want one bug", bugs, err)
	}
}

const src = `package p

type T struct{ n int }

func (t *T) F() int {
	go func() {
		t.n++
	}()
	return t.n
}

func (t T) G() {}

func F() {}
`

func TestScore(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"buggy", "fixed"} {
		if err := os.MkdirAll(filepath.Join(dir, v, "p"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, v, "p", "f.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := func(v string) string { return filepath.Join(dir, v, "p", "f.go") }

	spans, err := funcSpans(file("buggy"), []string{"(*T).F", "T.G", "F"})
	if err != nil {
		t.Fatal(err)
	}
	want := []span{{file("buggy"), 5, 10}, {file("buggy"), 12, 12}, {file("buggy"), 14, 14}}
	if len(spans) != len(want) {
		t.Fatalf("funcSpans = %v, want %v", spans, want)
	}
	for i := range want {
		if spans[i] != want[i] {
			t.Errorf("span %d = %v, want %v", i, spans[i], want[i])
		}
	}
	if _, err := funcSpans(file("buggy"), []string{"(*T).H"}); err == nil {
		t.Error("funcSpans found (*T).H, which does not exist")
	}

	// The buggy release: a finding inside the closure of (*T).F, one of
	// another check there, one elsewhere whose related position is in F.
	// The fixed release: only a finding outside F.
	inside := diagnostic{Check: "sharedaccess", Posn: file("buggy") + ":7:3", Message: "race"}
	other := diagnostic{Check: "overlock", Posn: file("buggy") + ":9:2", Message: "held"}
	outside := diagnostic{Check: "sharedaccess", Posn: file("fixed") + ":14:1", Message: "elsewhere"}
	related := diagnostic{Check: "lockorder", Posn: file("buggy") + ":14:1", Message: "cycle"}
	related.Related = append(related.Related, struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}{file("buggy") + ":9:9", "other order"})

	bugs := []bug{
		{ID: "race", Module: "m", Buggy: "v1", Fixed: "v2", File: "p/f.go", Funcs: []string{"(*T).F"}, Check: "sharedaccess"},
		{ID: "order", Module: "m", Buggy: "v1", Fixed: "v2", File: "p/f.go", Funcs: []string{"(*T).F"}, Check: "lockorder"},
		{ID: "leak", Module: "m", Buggy: "v1", Fixed: "v2", File: "p/f.go", Funcs: []string{"(*T).F"}, Check: "goroutineleak"},
		{ID: "stays", Module: "m", Buggy: "v1", Fixed: "v2", File: "p/f.go", Funcs: []string{"F"}, Check: "sharedaccess"},
		{ID: "nofunc", Module: "m", Buggy: "v1", Fixed: "v2", File: "p/f.go", Funcs: []string{"Missing"}, Check: "sharedaccess"},
	}
	runs := map[string]unitRun{
		"m@v1": {Dir: filepath.Join(dir, "buggy"), Diags: []diagnostic{inside, other, related}},
		"m@v2": {Dir: filepath.Join(dir, "fixed"), Diags: []diagnostic{outside}},
	}
	got := score(bugs, runs)
	type fg struct {
		found, gone bool
		err         bool
	}
	wants := map[string]fg{
		"race":   {true, true, false},
		"order":  {true, true, false},
		"leak":   {false, true, false},
		"stays":  {false, false, false},
		"nofunc": {false, false, true},
	}
	for _, r := range got {
		w := wants[r.Bug.ID]
		if r.Found != w.found || r.Gone != w.gone || (r.Err != "") != w.err {
			t.Errorf("%s: found %v gone %v err %q; want found %v gone %v error %v", r.Bug.ID, r.Found, r.Gone, r.Err, w.found, w.gone, w.err)
		}
	}
	if got[0].Buggy != "p/f.go:7:3: race" {
		t.Errorf("race: finding %q, want it relative to the module", got[0].Buggy)
	}
	runs["m@v2"] = unitRun{Dir: runs["m@v2"].Dir, Note: "syncvet: exit status 1: a package failed"}
	report := render(got, runs, "abc123")
	for _, s := range []string{"syncvet: abc123", "| [race]", "found 2, gone at the fix 3, found and gone 2 (40%); 1 not scored", "sharedaccess 1/3", "- m@v2: syncvet: exit status 1"} {
		if !strings.Contains(report, s) {
			t.Errorf("report lacks %q:\n%s", s, report)
		}
	}
}

func TestParseDiagnostics(t *testing.T) {
	in := `{"p": {"sharedaccess": [{"posn": "/x/f.go:3:4", "message": "m", "related": [{"posn": "/x/f.go:5:1", "message": "r"}]}],
	"lockorder": {"error": "boom"}}}
{"p [p.test]": {"overlock": [{"posn": "/x/f_test.go:1:1", "message": "o"}]}}`
	diags, err := parseDiagnostics(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 2 {
		t.Fatalf("parseDiagnostics = %+v, want 2 findings", diags)
	}
	for _, d := range diags {
		switch d.Check {
		case "sharedaccess":
			if len(d.Related) != 1 || d.Related[0].Posn != "/x/f.go:5:1" {
				t.Errorf("sharedaccess finding %+v lost its related position", d)
			}
		case "overlock":
		default:
			t.Errorf("unexpected finding %+v", d)
		}
	}
}
