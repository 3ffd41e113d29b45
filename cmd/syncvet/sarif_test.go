package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/syncvet/syncvet/analyzers"
)

// schemaModule ships the official OASIS SARIF 2.1.0 schema (errata01) in
// its test data; the test loads it from the module cache rather than
// keeping a copy in this repository.
const (
	schemaModule = "github.com/securego/gosec/v2@v2.29.0"
	schemaFile   = "report/sarif/testdata/sarif-schema-2.1.0.json"
	schemaID     = sarifSchema
)

// loadSARIFSchema downloads (through the module proxy, once per module
// cache) the module holding the schema and compiles the schema.
func loadSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", schemaModule)
	cmd.Dir = t.TempDir() // outside this module: leave go.mod and go.sum alone
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v\n%s%s", schemaModule, err, out, errOut.String())
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download %s: %v %s\n%s", schemaModule, err, mod.Error, out)
	}
	f, err := os.Open(filepath.Join(mod.Dir, schemaFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("reading the SARIF schema: %v", err)
	}
	if id, _ := doc.(map[string]any)["id"].(string); id != schemaID {
		t.Fatalf("%s in %s has id %q, want %q", schemaFile, schemaModule, id, schemaID)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaID)
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	return sch
}

// validSARIF checks data against the schema and returns it decoded.
func validSARIF(t *testing.T, sch *jsonschema.Schema, data []byte) sarifLog {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF output does not match the SARIF 2.1.0 schema: %v\n%s", err, data)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return log
}

// TestSARIFSchema runs syncvet -sarif on the example and validates the
// log against the SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	sch := loadSARIFSchema(t)
	out, stderr, code := run(t, repoRoot, false, "-sarif", "./testdata/example/...")
	if code != exitFindings {
		t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	log := validSARIF(t, sch, []byte(out))
	r := log.Runs[0]
	all := analyzers.All()
	if len(r.Tool.Driver.Rules) != len(all) {
		t.Errorf("%d rules, want one per check (%d)", len(r.Tool.Driver.Rules), len(all))
	}
	for i, a := range all {
		if i >= len(r.Tool.Driver.Rules) {
			break
		}
		rule := r.Tool.Driver.Rules[i]
		if rule.ID != a.Name || rule.ShortDescription.Text != title(a.Doc) || rule.FullDescription.Text != strings.TrimSpace(a.Doc) || rule.HelpURI == "" {
			t.Errorf("rule %d = %+v, want id %s with the check's doc", i, rule, a.Name)
		}
	}
	// The same findings as the text output, by rule, file and line.
	text, _, _ := run(t, repoRoot, false, "./testdata/example/...")
	var got []string
	for _, res := range r.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != srcRoot || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("result location %+v should be relative to %s", loc.ArtifactLocation, srcRoot)
		}
		if r.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d naming %s", res.RuleID, res.RuleIndex, r.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		got = append(got, res.Message.Text+" ("+res.RuleID+")")
	}
	for _, g := range got {
		if !strings.Contains(text, g) {
			t.Errorf("SARIF result %q is not in the text output:\n%s", g, text)
		}
	}
	if n := len(findings(text)); n != len(got) {
		t.Errorf("%d SARIF results, %d text findings", len(got), n)
	}
	if len(r.Invocations) != 1 || !r.Invocations[0].ExecutionSuccessful {
		t.Errorf("invocations = %+v, want one successful", r.Invocations)
	}
	if base := r.OriginalURIBaseIDs[srcRoot].URI; !strings.HasPrefix(base, "file:///") || !strings.HasSuffix(base, "/") {
		t.Errorf("%s = %q, want an absolute file URI ending in /", srcRoot, base)
	}
}

// TestSARIFRelatedAndFixes checks the parts the bundled checks do not
// exercise: related locations, fixes, categories, columns after
// non-ASCII text and files outside the root.
func TestSARIFRelatedAndFixes(t *testing.T) {
	sch := loadSARIFSchema(t)
	root := t.TempDir()
	src := filepath.Join(root, "p", "p.go")
	os.MkdirAll(filepath.Dir(src), 0o755)
	os.WriteFile(src, []byte("package p\n\nvar s = \"é😀\"; var x = 1\n"), 0o644)
	outside := filepath.Join(t.TempDir(), "q.go")
	fix, _ := json.Marshal(map[string]any{
		"message": "take the lock first",
		"edits":   []map[string]any{{"filename": src, "start": 11, "end": 14, "new": "const"}, {"filename": src, "start": 20, "end": 20, "new": ""}},
	})
	tr := tree{"example.com/p": {"probe": {{
		Category:       "inversion",
		Posn:           src + ":3:24",
		End:            src + ":3:25",
		Message:        "lock order inversion: a then b",
		SuggestedFixes: []json.RawMessage{fix},
		Related: []jsonRelated{
			{Posn: src + ":1:1", End: src + ":1:8", Message: "b then a here"},
			{Posn: outside + ":7:2", Message: "and here"},
		},
	}}}}
	var buf bytes.Buffer
	if err := writeSARIF(&buf, tr, []failure{{"example.com/q", "lockorder: internal error in lockorder on package example.com/q: boom"}}, analyzers.All(), root); err != nil {
		t.Fatal(err)
	}
	log := validSARIF(t, sch, buf.Bytes())
	// The schema does reject what SARIF forbids.
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bytes.Replace(buf.Bytes(), []byte(`"level": "warning"`), []byte(`"level": "serious"`), 1)))
	if sch.Validate(bad) == nil {
		t.Error("the schema accepted an invalid level")
	}
	r := log.Runs[0]
	if len(r.Results) != 1 {
		t.Fatalf("%d results, want 1", len(r.Results))
	}
	res := r.Results[0]
	if res.RuleID != "probe" || r.Tool.Driver.Rules[res.RuleIndex].ID != "probe" {
		t.Errorf("an unknown check should get its own rule; got %s at %d", res.RuleID, res.RuleIndex)
	}
	reg := res.Locations[0].PhysicalLocation.Region
	// Byte column 24 follows 23 bytes, 20 UTF-16 units (é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units).
	if reg == nil || reg.StartLine != 3 || reg.StartColumn != 21 || reg.EndColumn != 22 {
		t.Errorf("region = %+v, want line 3, UTF-16 columns 21-22", reg)
	}
	if got := res.Locations[0].PhysicalLocation.ArtifactLocation; got.URI != "p/p.go" || got.URIBaseID != srcRoot {
		t.Errorf("location = %+v, want p/p.go under %s", got, srcRoot)
	}
	if len(res.RelatedLocations) != 2 || res.RelatedLocations[0].Message.Text != "b then a here" ||
		*res.RelatedLocations[1].ID != 2 || !strings.HasPrefix(res.RelatedLocations[1].PhysicalLocation.ArtifactLocation.URI, "file:///") {
		t.Errorf("related locations = %+v", res.RelatedLocations)
	}
	if len(res.Fixes) != 1 || len(res.Fixes[0].ArtifactChanges) != 1 || len(res.Fixes[0].ArtifactChanges[0].Replacements) != 2 ||
		*res.Fixes[0].ArtifactChanges[0].Replacements[0].DeletedRegion.ByteOffset != 11 {
		t.Errorf("fixes = %+v", res.Fixes)
	}
	if inv := r.Invocations; len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 1 ||
		!strings.Contains(inv[0].ToolExecutionNotifications[0].Message.Text, "internal error in lockorder") {
		t.Errorf("invocations = %+v, want one unsuccessful with the failure as a notification", inv)
	}
	if res.Properties["category"] != "inversion" {
		t.Errorf("properties = %v, want the category", res.Properties)
	}
}

func TestSARIFExcludesJSON(t *testing.T) {
	_, stderr, code := run(t, repoRoot, false, "-sarif", "-json", "./testdata/example/...")
	if code != exitUsage || !strings.Contains(stderr, "exclude") {
		t.Errorf("-sarif -json: exit %d, stderr %q; want a usage error", code, stderr)
	}
}

// TestSARIFFixture checks related locations and fixes from a real check.
func TestSARIFFixture(t *testing.T) {
	sch := loadSARIFSchema(t)
	out, stderr, code := run(t, repoRoot, false, "-sarif", "./testdata/fix/")
	if code != exitFindings {
		t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	log := validSARIF(t, sch, []byte(out))
	var found bool
	for _, res := range log.Runs[0].Results {
		if res.RuleID != "overlock" {
			continue
		}
		found = true
		if len(res.RelatedLocations) == 0 || res.RelatedLocations[0].Message.Text != "c.mu locked here" {
			t.Errorf("overlock result lacks its related location: %+v", res.RelatedLocations)
		}
		if len(res.Fixes) != 1 || res.Fixes[0].ArtifactChanges[0].ArtifactLocation.URI != "testdata/fix/cache.go" ||
			!strings.Contains(res.Fixes[0].ArtifactChanges[0].Replacements[0].InsertedContent.Text, "c.mu.Unlock()") {
			t.Errorf("overlock result lacks its fix: %+v", res.Fixes)
		}
	}
	if !found {
		t.Errorf("no overlock result in:\n%s", out)
	}
}
