package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLSPNeovim runs syncvet lsp under a real editor: Neovim, headless,
// with its built-in LSP client, driven by testdata/lsp/nvim.lua. It
// skips when nvim is not on PATH, unless SYNCVET_REQUIRE_NVIM=1 (as CI
// sets it after installing Debian's neovim package).
func TestLSPNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("SYNCVET_REQUIRE_NVIM") == "1" {
			t.Fatal("nvim is not on PATH and SYNCVET_REQUIRE_NVIM=1")
		}
		t.Skip("nvim is not on PATH (apt-get install neovim, then rerun): the editor test needs it")
	}
	dir := copyLSPFixture(t)
	cache := filepath.Join(dir, "bank", "cache.go")
	bank := filepath.Join(dir, "bank", "bank.go")
	script, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "lsp", "nvim.lua"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "diagnostics.json")

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-n", "-u", "NONE", "-i", "NONE", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"SYNCVET_BIN="+syncvetBin, "SYNCVET_NVIM_ROOT="+dir, "SYNCVET_NVIM_FILE="+cache, "SYNCVET_NVIM_OUT="+out,
		"XDG_STATE_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(),
	)
	combined, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nvim: %v\n%s", err, combined)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v\n%s", err, combined)
	}
	type diag struct {
		File            string
		Lnum, Col       int
		EndLnum         int `json:"end_lnum"`
		Severity        int
		Message, Source string
		Code            string
		LSP             struct {
			CodeDescription    struct{ Href string } `json:"codeDescription"`
			RelatedInformation []struct {
				Location struct {
					URI   string
					Range lspRange
				}
				Message string
			} `json:"relatedInformation"`
		}
	}
	var res struct {
		Steps   []string
		Error   string
		Opened  []diag
		Actions []string
		Saved   json.RawMessage
		Text    string
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	t.Logf("nvim steps: %v; actions: %q", res.Steps, res.Actions)
	if res.Error != "" {
		t.Fatalf("the nvim script failed after steps %v: %s\n%s", res.Steps, res.Error, combined)
	}

	byFile := make(map[string][]diag)
	for _, d := range res.Opened {
		byFile[d.File] = append(byFile[d.File], d)
	}
	if ds := byFile[cache]; len(ds) != 1 || ds[0].Lnum != 20 || ds[0].Col != 2 || ds[0].Code != "overlock" ||
		ds[0].Source != "syncvet" || ds[0].Severity != 2 ||
		ds[0].LSP.CodeDescription.Href != "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/overlock" ||
		len(ds[0].LSP.RelatedInformation) != 1 || ds[0].LSP.RelatedInformation[0].Message != "c.mu locked here" {
		t.Errorf("cache.go's diagnostics in nvim: %+v", ds)
	}
	// Neovim turns the UTF-16 column 17 back into byte column 20 of
	// "\tlédger𝒜.mu.Lock()" (0-based).
	if ds := byFile[bank]; len(ds) != 1 || ds[0].Lnum != 24 || ds[0].Col != 20 || ds[0].Code != "lockorder" ||
		len(ds[0].LSP.RelatedInformation) != 1 || ds[0].LSP.RelatedInformation[0].Location.Range.Start != (lspPos{35, 10}) {
		t.Errorf("bank.go's diagnostics in nvim: %+v", ds)
	}
	if len(res.Actions) != 2 || res.Actions[0] != "call c.mu.Unlock() before returning" {
		t.Errorf("code actions in nvim: %q", res.Actions)
	}
	var saved []diag
	json.Unmarshal(res.Saved, &saved)
	for _, d := range saved {
		if d.File == cache {
			t.Errorf("cache.go still has diagnostics after the fix was saved: %+v", d)
		}
	}
	if !strings.Contains(res.Text, "\tif !ok {\n\t\tc.mu.Unlock()\n\t\treturn 0, errMissing\n") {
		t.Errorf("cache.go in nvim after the fix:\n%s", res.Text)
	}
	if disk, _ := os.ReadFile(cache); !strings.Contains(string(disk), "\t\tc.mu.Unlock()\n\t\treturn 0, errMissing\n") {
		t.Errorf("cache.go on disk after :write:\n%s", disk)
	}
}
