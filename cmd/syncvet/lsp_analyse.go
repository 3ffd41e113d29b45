package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
)

// lspJob is the analysis of one package directory.
type lspJob struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// lspFinding is a published diagnostic with what its code actions need.
type lspFinding struct {
	diag     protocol.Diagnostic
	check    string
	category string
	fixes    []lspFix
	ignore   *protocol.TextEdit // inserts //syncvet:ignore; nil when not offered
}

// lspFix is a suggested fix converted to text edits.
type lspFix struct {
	title string
	edits map[protocol.DocumentURI][]protocol.TextEdit
}

// schedule starts the analysis of the package in dir, cancelling the one
// in flight for it: only the newest save's results are published.
func (s *lspServer) schedule(dir string) {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return
	}
	old := s.jobs[dir]
	ctx, cancel := context.WithCancel(s.ctx)
	j := &lspJob{cancel: cancel, done: make(chan struct{})}
	s.jobs[dir] = j
	settings := s.settings
	s.wg.Add(1)
	s.mu.Unlock()

	if old != nil {
		select {
		case <-old.done:
		default:
			old.cancel()
			s.logMessage(protocol.MessageTypeInfo, "syncvet: a newer save cancels the analysis of %s in flight", dir)
		}
	}
	go func() {
		defer s.wg.Done()
		defer close(j.done)
		defer cancel()
		if old != nil {
			<-old.done
		}
		select {
		case s.sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		defer func() { <-s.sem }()
		if ctx.Err() != nil {
			return
		}
		s.analyse(ctx, dir, settings, j)
		s.mu.Lock()
		if s.jobs[dir] == j {
			delete(s.jobs, dir)
		}
		s.mu.Unlock()
	}()
}

// analyse runs go vet on the package in dir and publishes what it found.
func (s *lspServer) analyse(ctx context.Context, dir string, settings lspSettings, j *lspJob) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("internal error analysing %s: %v", dir, r)
		}
	}()
	token := s.beginProgress(ctx, dir)
	start := time.Now()
	res := s.vet(ctx, dir, settings)
	if ctx.Err() != nil {
		s.endProgress(token, "cancelled")
		return
	}
	n := 0
	for _, fs := range res.byFile {
		n += len(fs)
	}
	s.logMessage(protocol.MessageTypeLog, "syncvet: %s: %d diagnostics in %s", dir, n, time.Since(start).Round(time.Millisecond))
	if res.show != "" {
		s.showOnce(res.show)
	}
	s.publish(dir, j, res)
	s.endProgress(token, fmt.Sprintf("%d findings", n))
}

// beginProgress starts a work-done progress for the analysis of dir
// when the client takes them, and returns its token ("" when none).
func (s *lspServer) beginProgress(ctx context.Context, dir string) string {
	s.mu.Lock()
	if !s.progress {
		s.mu.Unlock()
		return ""
	}
	s.seq++
	token := "syncvet-" + strconv.Itoa(s.seq)
	s.mu.Unlock()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := s.conn.Call(cctx, protocol.MethodWorkDoneProgressCreate, &protocol.WorkDoneProgressCreateParams{Token: *protocol.NewProgressToken(token)}, nil); err != nil {
		s.logf("window/workDoneProgress/create: %v", err)
		return ""
	}
	s.notify(protocol.MethodProgress, &protocol.ProgressParams{
		Token: *protocol.NewProgressToken(token),
		Value: &protocol.WorkDoneProgressBegin{Kind: protocol.WorkDoneProgressKindBegin, Title: "syncvet", Message: "analysing " + dir},
	})
	return token
}

func (s *lspServer) endProgress(token, msg string) {
	if token == "" {
		return
	}
	s.notify(protocol.MethodProgress, &protocol.ProgressParams{
		Token: *protocol.NewProgressToken(token),
		Value: &protocol.WorkDoneProgressEnd{Kind: protocol.WorkDoneProgressKindEnd, Message: msg},
	})
}

// vetResult is the outcome of one analysis: findings by file, and a
// problem that stopped it, shown on the package's open files.
type vetResult struct {
	byFile  map[string][]*lspFinding
	problem *protocol.Diagnostic // at the top of each open file of the package
	show    string               // shown to the user once
}

// vet runs go vet with this executable as the vet tool on the package in
// dir, as the standalone driver does, and converts its output.
func (s *lspServer) vet(ctx context.Context, dir string, settings lspSettings) *vetResult {
	res := &vetResult{byFile: make(map[string][]*lspFinding)}
	problem := func(sev protocol.DiagnosticSeverity, msg string) {
		res.problem = &protocol.Diagnostic{Severity: sev, Source: "syncvet", Message: msg}
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		msg := fmt.Sprintf("syncvet: cannot analyse: the go command is not on PATH (%v); syncvet lsp runs go vet, so start the editor with Go installed and on PATH", err)
		problem(protocol.DiagnosticSeverityError, msg)
		res.show = msg
		return res
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return res // the directory went away: its diagnostics are cleared
	}
	args := append([]string{"vet", "-vettool=" + s.exe}, settings.vetArgs()...)
	args = append(args, "-json", ".")
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	killGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return res
	}
	var ee *exec.ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		msg := fmt.Sprintf("syncvet: cannot run go vet: %v", runErr)
		problem(protocol.DiagnosticSeverityError, msg)
		res.show = msg
		return res
	}

	c := &lspConverter{as: s.as, lines: make(map[string][][]byte)}
	t, fails, err := parseTree(stdout.Bytes())
	if err != nil {
		problem(protocol.DiagnosticSeverityError, "syncvet: cannot read the vet tool's output: "+err.Error())
		return res
	}
	for _, pkg := range sortedKeys(t) {
		for _, name := range sortedKeys(t[pkg]) {
			for _, d := range t[pkg][name] {
				if f, path := c.finding(name, d); f != nil {
					res.byFile[path] = append(res.byFile[path], f)
				}
			}
		}
	}
	var failMsgs []string
	for _, f := range fails {
		failMsgs = append(failMsgs, f.pkg+": "+f.msg)
	}
	if len(failMsgs) > 0 {
		problem(protocol.DiagnosticSeverityError, "syncvet: a check failed: "+strings.Join(failMsgs, "; "))
	}
	if runErr == nil {
		return res
	}

	// go vet failed: say why, on the file that does not compile when it
	// is one of the package's, on the open files otherwise.
	errOut := strings.TrimSpace(stderr.String())
	cerrs := compileErrors(errOut, dir)
	var own, other []compileError
	for _, e := range cerrs {
		if filepath.Dir(e.path) == dir {
			own = append(own, e)
		} else {
			other = append(other, e)
		}
	}
	switch {
	case strings.Contains(errOut, "go.mod file not found") || strings.Contains(errOut, "outside main module") ||
		strings.Contains(errOut, "cannot find main module"):
		msg := "syncvet: cannot analyse: this file is outside any Go module (syncvet analyses the packages of a module: add a go.mod, or open the module's folder): " + firstLine(errOut)
		problem(protocol.DiagnosticSeverityError, msg)
		res.show = msg
	case len(own) > 0:
		e := own[0]
		d := protocol.Diagnostic{
			Range:    c.rangeOf(e.path, e.line, e.col, e.line, e.col),
			Severity: protocol.DiagnosticSeverityError,
			Source:   "syncvet",
			Message:  "package does not type-check, so syncvet did not analyse it: " + e.msg,
		}
		for _, o := range cerrs[1:] {
			d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: docURI(o.path), Range: c.rangeOf(o.path, o.line, o.col, o.line, o.col)},
				Message:  o.msg,
			})
		}
		res.byFile[e.path] = append(res.byFile[e.path], &lspFinding{diag: d})
	case len(other) > 0:
		e := other[0]
		d := protocol.Diagnostic{
			Severity: protocol.DiagnosticSeverityError,
			Source:   "syncvet",
			Message:  fmt.Sprintf("syncvet did not analyse this package: a package it depends on does not build: %s:%d:%d: %s", e.path, e.line, e.col, e.msg),
		}
		for _, o := range other {
			d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: docURI(o.path), Range: c.rangeOf(o.path, o.line, o.col, o.line, o.col)},
				Message:  o.msg,
			})
		}
		res.problem = &d
	case strings.Contains(errOut, "build constraints exclude all Go files") || strings.Contains(errOut, "no Go files"):
		problem(protocol.DiagnosticSeverityInformation, "syncvet: no package to analyse here: "+firstLine(errOut)+" (build tags go in the tags setting)")
	default:
		if errOut == "" {
			errOut = runErr.Error()
		}
		problem(protocol.DiagnosticSeverityError, "syncvet: go vet failed: "+errOut)
	}
	return res
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// compileError is one "file:line:col: message" line of go vet's errors.
type compileError struct {
	path      string
	line, col int
	msg       string
}

var compileErrorLine = regexp.MustCompile(`^(?:vet: )?(\S.*?\.go):(\d+)(?::(\d+))?: (.*)$`)

// compileErrors extracts the positioned errors of go vet's stderr, with
// paths made absolute against dir; indented lines continue the message
// above them.
func compileErrors(out, dir string) []compileError {
	var errs []compileError
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "\t") && len(errs) > 0 {
			errs[len(errs)-1].msg += "\n" + strings.TrimSpace(l)
			continue
		}
		m := compileErrorLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		p := m[1]
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		errs = append(errs, compileError{path: filepath.Clean(p), line: line, col: col, msg: m[4]})
	}
	return errs
}

// publish sends the diagnostics of an analysis of dir, and empty ones
// for the files that had diagnostics before and have none now, unless a
// newer analysis of dir has started since.
func (s *lspServer) publish(dir string, j *lspJob, res *vetResult) {
	type pub struct {
		uri   protocol.DocumentURI
		diags []protocol.Diagnostic
	}
	s.mu.Lock()
	if s.jobs[dir] != j || s.shutdown {
		s.mu.Unlock()
		return
	}
	if res.problem != nil {
		for p := range s.open {
			if filepath.Dir(p) == dir {
				res.byFile[p] = append([]*lspFinding{{diag: *res.problem}}, res.byFile[p]...)
			}
		}
	}
	prev := s.published[dir]
	now := make(map[string]bool)
	all := make(map[string]bool)
	for p := range prev {
		all[p] = true
	}
	for p, fs := range res.byFile {
		if len(fs) > 0 {
			now[p], all[p] = true, true
		}
	}
	for p := range s.open {
		if filepath.Dir(p) == dir {
			all[p] = true
		}
	}
	var pubs []pub
	for _, p := range sortedKeys(all) {
		u, ok := s.open[p]
		if !ok {
			u = docURI(p)
		}
		diags := []protocol.Diagnostic{}
		for _, f := range res.byFile[p] {
			diags = append(diags, f.diag)
		}
		if len(res.byFile[p]) > 0 {
			s.findings[p] = res.byFile[p]
		} else {
			delete(s.findings, p)
		}
		pubs = append(pubs, pub{u, diags})
	}
	s.published[dir] = now
	s.mu.Unlock()
	for _, pb := range pubs {
		s.notify(protocol.MethodTextDocumentPublishDiagnostics, &protocol.PublishDiagnosticsParams{URI: pb.uri, Diagnostics: pb.diags})
	}
}

// lspConverter turns go/analysis positions and offsets into LSP ranges,
// reading each file once to count columns in UTF-16 code units.
type lspConverter struct {
	as    []*analysis.Analyzer
	lines map[string][][]byte
}

func (c *lspConverter) fileLines(path string) [][]byte {
	ls, ok := c.lines[path]
	if !ok {
		if data, err := os.ReadFile(path); err == nil {
			ls = bytes.SplitAfter(data, []byte("\n"))
		}
		c.lines[path] = ls
	}
	return ls
}

// position converts a 1-based line and byte column.
func (c *lspConverter) position(path string, line, col int) protocol.Position {
	if line <= 0 {
		return protocol.Position{}
	}
	ls := c.fileLines(path)
	if line > len(ls) {
		return protocol.Position{Line: uint32(line - 1), Character: uint32(max(col-1, 0))}
	}
	b := ls[line-1]
	n := min(max(col-1, 0), len(b))
	return protocol.Position{Line: uint32(line - 1), Character: utf16Len(b[:n])}
}

// offsetPosition converts a byte offset into the file.
func (c *lspConverter) offsetPosition(path string, off int) protocol.Position {
	ls := c.fileLines(path)
	for i, b := range ls {
		if off <= len(b) && (off < len(b) || i == len(ls)-1) {
			return protocol.Position{Line: uint32(i), Character: utf16Len(b[:off])}
		}
		off -= len(b)
	}
	return protocol.Position{Line: uint32(len(ls))}
}

func utf16Len(b []byte) uint32 {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size == 1 {
			n++
			continue
		}
		n += len(utf16.Encode([]rune{r}))
	}
	return uint32(n)
}

// rangeOf converts start and end lines and columns; an end before the
// start is the start.
func (c *lspConverter) rangeOf(path string, line, col, eline, ecol int) protocol.Range {
	r := protocol.Range{Start: c.position(path, line, col)}
	r.End = r.Start
	if eline > line || eline == line && ecol > col {
		r.End = c.position(path, eline, ecol)
	}
	return r
}

// posnRange converts "file:line:col" start and end positions.
func (c *lspConverter) posnRange(posn, end string) (string, protocol.Range) {
	file, line, col := splitPosn(posn)
	efile, eline, ecol := splitPosn(end)
	if efile != file {
		eline, ecol = line, col
	}
	return filepath.Clean(file), c.rangeOf(filepath.Clean(file), line, col, eline, ecol)
}

// finding converts one finding of the check name, and returns the file
// it is in.
func (c *lspConverter) finding(name string, d jsonDiag) (*lspFinding, string) {
	path, rng := c.posnRange(d.Posn, d.End)
	if path == "" || path == "." {
		return nil, ""
	}
	href := checkURL(c.as, name)
	diag := protocol.Diagnostic{
		Range:           rng,
		Severity:        protocol.DiagnosticSeverityWarning,
		Code:            name,
		CodeDescription: &protocol.CodeDescription{Href: protocol.URI(href)},
		Source:          "syncvet",
		Message:         d.Message,
	}
	for _, r := range d.Related {
		rp, rr := c.posnRange(r.Posn, r.End)
		diag.RelatedInformation = append(diag.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: docURI(rp), Range: rr},
			Message:  r.Message,
		})
	}
	f := &lspFinding{diag: diag, check: name, category: d.Category}
	for _, raw := range d.SuggestedFixes {
		if fx, ok := c.fix(raw); ok {
			f.fixes = append(f.fixes, fx)
		}
	}
	if d.Category != "directive" {
		f.ignore = c.ignoreEdit(path, int(rng.Start.Line), name)
	}
	return f, path
}

// fix converts a suggested fix in the x/tools JSON form, whose edits are
// byte offsets into files.
func (c *lspConverter) fix(raw json.RawMessage) (lspFix, bool) {
	var f struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
			Start    int    `json:"start"`
			End      int    `json:"end"`
			New      string `json:"new"`
		} `json:"edits"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || len(f.Edits) == 0 {
		return lspFix{}, false
	}
	out := lspFix{title: f.Message, edits: make(map[protocol.DocumentURI][]protocol.TextEdit)}
	for _, e := range f.Edits {
		path := filepath.Clean(e.Filename)
		if c.fileLines(path) == nil || e.End < e.Start {
			return lspFix{}, false
		}
		u := docURI(path)
		out.edits[u] = append(out.edits[u], protocol.TextEdit{
			Range:   protocol.Range{Start: c.offsetPosition(path, e.Start), End: c.offsetPosition(path, e.End)},
			NewText: e.New,
		})
	}
	return out, true
}

// ignoreEdit returns the edit that silences the check's finding on the
// 0-based line: a //syncvet:ignore directive alone on a new line above
// it, with the finding line's indentation and a placeholder reason, or
// the check's name added to a directive already alone on the line above.
func (c *lspConverter) ignoreEdit(path string, line int, check string) *protocol.TextEdit {
	ls := c.fileLines(path)
	if line >= len(ls) {
		return nil
	}
	text := strings.TrimRight(string(ls[line]), "\r\n")
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	if line > 0 {
		above := strings.TrimRight(string(ls[line-1]), "\r\n")
		trimmed := strings.TrimLeft(above, " \t")
		if rest, ok := strings.CutPrefix(trimmed, analyzers.IgnoreDirective+" "); ok {
			names, reason, _ := strings.Cut(strings.TrimLeft(rest, " \t"), " ")
			for _, n := range strings.Split(names, ",") {
				if strings.EqualFold(n, check) {
					return nil // already named: the reason is what is missing
				}
			}
			lead := above[:len(above)-len(trimmed)]
			newText := lead + analyzers.IgnoreDirective + " " + names + "," + check
			if reason != "" {
				newText += " " + reason
			} else {
				newText += " " + ignorePlaceholder
			}
			return &protocol.TextEdit{
				Range:   protocol.Range{Start: protocol.Position{Line: uint32(line - 1)}, End: protocol.Position{Line: uint32(line - 1), Character: utf16Len([]byte(above))}},
				NewText: newText,
			}
		}
	}
	return &protocol.TextEdit{
		Range:   protocol.Range{Start: protocol.Position{Line: uint32(line)}, End: protocol.Position{Line: uint32(line)}},
		NewText: indent + analyzers.IgnoreDirective + " " + check + " " + ignorePlaceholder + "\n",
	}
}

// ignorePlaceholder is the reason the silence action writes, for the
// user to replace.
const ignorePlaceholder = "<why the finding is wrong here>"
