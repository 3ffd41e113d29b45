package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/protocol"

	"github.com/syncvet/syncvet/analyzers"
)

// The tests here drive syncvet lsp with JSON-RPC written and read by
// hand, as an editor would: TestLSP against the syncvet binary as a
// subprocess, the others against a server in the test process (so that
// go test -race watches the server's goroutines too), each on a copy of
// testdata/lsp.

// lspWait bounds every wait for the server: a first analysis builds the
// standard library's facts.
const lspWait = 3 * time.Minute

// rpcMsg is any JSON-RPC message, as the client sees it.
type rpcMsg struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// lspClient is an editor's side of a connection.
type lspClient struct {
	t   *testing.T
	out io.Writer

	mu     sync.Mutex
	msgs   []rpcMsg // everything received, in order
	readEr error
	nextID int
	wmu    sync.Mutex
}

func newLSPClient(t *testing.T, in io.Reader, out io.Writer) *lspClient {
	c := &lspClient{t: t, out: out}
	go c.read(in)
	return c
}

// read collects the server's messages and answers its requests (work
// done progress creation) with a null result.
func (c *lspClient) read(in io.Reader) {
	r := bufio.NewReader(in)
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				c.mu.Lock()
				c.readEr = err
				c.mu.Unlock()
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, max(length, 0))
		if _, err := io.ReadFull(r, body); err != nil {
			c.mu.Lock()
			c.readEr = err
			c.mu.Unlock()
			return
		}
		var m rpcMsg
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server sent a malformed message: %v\n%s", err, body)
			continue
		}
		if m.Method != "" && m.ID != nil {
			// Answer from another goroutine, as an editor's event loop
			// would: reading must go on while the answer is written.
			go c.writeMsg(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
		}
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		c.mu.Unlock()
	}
}

func (c *lspClient) writeRaw(b []byte) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.out.Write(b); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

func (c *lspClient) writeMsg(v any) {
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.writeRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
}

func (c *lspClient) notify(method string, params any) {
	c.writeMsg(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and waits for its response.
func (c *lspClient) call(method string, params any) rpcMsg {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	c.writeMsg(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	return c.waitFor(0, fmt.Sprintf("the response to %s", method), func(m rpcMsg) bool {
		return m.Method == "" && string(m.ID) == strconv.Itoa(id)
	})
}

// mark returns the number of messages received so far, to wait for
// later ones.
func (c *lspClient) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.msgs)
}

// waitFor waits for a message received after the first `from` that
// satisfies ok, and returns it.
func (c *lspClient) waitFor(from int, what string, ok func(rpcMsg) bool) rpcMsg {
	c.t.Helper()
	deadline := time.Now().Add(lspWait)
	for {
		c.mu.Lock()
		for _, m := range c.msgs[from:] {
			if ok(m) {
				c.mu.Unlock()
				return m
			}
		}
		err := c.readEr
		c.mu.Unlock()
		if err != nil || time.Now().After(deadline) {
			c.t.Fatalf("waiting for %s: gave up (read error %v); received:\n%s", what, err, c.dump())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *lspClient) dump() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, m := range c.msgs {
		j, _ := json.Marshal(m)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

type lspPos struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type lspRange struct {
	Start lspPos `json:"start"`
	End   lspPos `json:"end"`
}

type lspDiag struct {
	Range           lspRange `json:"range"`
	Severity        int      `json:"severity"`
	Code            string   `json:"code"`
	CodeDescription *struct {
		Href string `json:"href"`
	} `json:"codeDescription"`
	Source             string `json:"source"`
	Message            string `json:"message"`
	RelatedInformation []struct {
		Location struct {
			URI   string   `json:"uri"`
			Range lspRange `json:"range"`
		} `json:"location"`
		Message string `json:"message"`
	} `json:"relatedInformation"`
}

type publishParams struct {
	URI         string    `json:"uri"`
	Diagnostics []lspDiag `json:"diagnostics"`
}

// diagnostics waits for a publishDiagnostics for uri after from that
// satisfies ok, and returns its diagnostics.
func (c *lspClient) diagnostics(from int, uri, what string, ok func([]lspDiag) bool) []lspDiag {
	c.t.Helper()
	var got []lspDiag
	c.waitFor(from, "diagnostics of "+uri+": "+what, func(m rpcMsg) bool {
		if m.Method != "textDocument/publishDiagnostics" {
			return false
		}
		var p publishParams
		if err := json.Unmarshal(m.Params, &p); err != nil || p.URI != uri || p.Diagnostics == nil {
			return false
		}
		if ok(p.Diagnostics) {
			got = p.Diagnostics
			return true
		}
		return false
	})
	return got
}

// copyLSPFixture copies testdata/lsp into a temporary directory.
func copyLSPFixture(t *testing.T) string {
	t.Helper()
	src := filepath.Join(repoRoot, "testdata", "lsp")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// startLSPProcess starts syncvet lsp as a subprocess, and returns a
// client, a function that waits for the process to exit, and its stderr.
func startLSPProcess(t *testing.T, env []string) (*lspClient, func() error, *syncWriter) {
	t.Helper()
	cmd := exec.Command(syncvetBin, "lsp")
	cmd.Env = env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncWriter{w: new(bytes.Buffer)}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	var waitErr error
	wait := func() error {
		once.Do(func() { waitErr = cmd.Wait() })
		return waitErr
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	return newLSPClient(t, stdout, stdin), wait, stderr
}

// syncWriter serialises writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.w)
}

// startLSPInProcess runs a server in the test process, with the syncvet
// binary as its vet tool, and returns a client connected to it through
// OS pipes and a function that waits for the server's exit code.
func startLSPInProcess(t *testing.T) (*lspClient, func() (int, bool)) {
	t.Helper()
	toServerR, toServerW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromServerR, fromServerW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	s := newLSPServer(syncvetBin, analyzers.All(), &syncWriter{w: io.Discard})
	exited := make(chan struct{})
	var code int
	go func() {
		code = s.serve(newLSPStream(toServerR, fromServerW, nil, s.logf))
		fromServerW.Close()
		close(exited)
	}()
	wait := func() (int, bool) {
		select {
		case <-exited:
			return code, true
		case <-time.After(30 * time.Second):
			return 0, false
		}
	}
	t.Cleanup(func() {
		toServerW.Close()
		if _, ok := wait(); !ok {
			t.Errorf("the server did not stop at the end of its input")
		}
		toServerR.Close()
		fromServerR.Close()
	})
	return newLSPClient(t, fromServerR, toServerW), wait
}

func fileURIOf(path string) string { return fileURI(path) }

// initialize sends initialize and initialized.
func (c *lspClient) initialize(root string, options any) rpcMsg {
	c.t.Helper()
	resp := c.call("initialize", map[string]any{
		"processId":             nil,
		"rootUri":               fileURIOf(root),
		"capabilities":          map[string]any{"window": map[string]any{"workDoneProgress": true}},
		"initializationOptions": options,
	})
	if resp.Error != nil {
		c.t.Fatalf("initialize: %+v", resp.Error)
	}
	c.notify("initialized", map[string]any{})
	return resp
}

func (c *lspClient) open(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": fileURIOf(path), "languageId": "go", "version": 1, "text": string(data),
	}})
}

func (c *lspClient) save(path string) {
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": fileURIOf(path)}})
}

type textEdit struct {
	Range   lspRange `json:"range"`
	NewText string   `json:"newText"`
}

type codeAction struct {
	Title       string    `json:"title"`
	Kind        string    `json:"kind"`
	IsPreferred bool      `json:"isPreferred"`
	Diagnostics []lspDiag `json:"diagnostics"`
	Edit        struct {
		Changes map[string][]textEdit `json:"changes"`
	} `json:"edit"`
}

func (c *lspClient) codeActions(path string, line int) []codeAction {
	c.t.Helper()
	resp := c.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": fileURIOf(path)},
		"range":        lspRange{lspPos{line, 0}, lspPos{line, 0}},
		"context":      map[string]any{"diagnostics": []any{}},
	})
	if resp.Error != nil {
		c.t.Fatalf("codeAction: %+v", resp.Error)
	}
	var as []codeAction
	if err := json.Unmarshal(resp.Result, &as); err != nil {
		c.t.Fatalf("codeAction result: %v\n%s", err, resp.Result)
	}
	return as
}

// applyEdits applies LSP text edits (UTF-16 positions) to the files they
// name, as an editor would, and returns the paths it wrote.
func applyEdits(t *testing.T, changes map[string][]textEdit) []string {
	t.Helper()
	var paths []string
	for uri, edits := range changes {
		path, ok := uriPath(protocol.DocumentURI(uri))
		if !ok {
			t.Fatalf("edit of %q: not a file URI", uri)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(edits, func(i, j int) bool {
			a, b := edits[i].Range.Start, edits[j].Range.Start
			return a.Line > b.Line || a.Line == b.Line && a.Character > b.Character
		})
		for _, e := range edits {
			start, end := byteOffset(t, data, e.Range.Start), byteOffset(t, data, e.Range.End)
			data = append(append(append([]byte{}, data[:start]...), e.NewText...), data[end:]...)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// byteOffset converts an LSP position into a byte offset of data.
func byteOffset(t *testing.T, data []byte, p lspPos) int {
	t.Helper()
	off := 0
	for l := 0; l < p.Line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			t.Fatalf("position %+v past the end of the file", p)
		}
		off += i + 1
	}
	units := 0
	for _, r := range string(data[off:]) {
		if units >= p.Character || r == '\n' {
			break
		}
		units += len(utf16.Encode([]rune{r}))
		off += len(string(r))
	}
	if units != p.Character {
		t.Fatalf("position %+v is not on a character boundary", p)
	}
	return off
}

// TestLSP drives syncvet lsp, started as a subprocess, through a session:
// initialize, open a file and get its package's diagnostics (positions
// in UTF-16 code units, codes, links, related information, progress),
// apply a suggested fix and a //syncvet:ignore action, save, and see the
// diagnostics cleared; then shut down and exit.
func TestLSP(t *testing.T) {
	dir := copyLSPFixture(t)
	bank := filepath.Join(dir, "bank", "bank.go")
	cache := filepath.Join(dir, "bank", "cache.go")
	c, wait, stderr := startLSPProcess(t, os.Environ())

	init := c.initialize(dir, nil)
	var ir struct {
		Capabilities struct {
			TextDocumentSync struct {
				OpenClose bool            `json:"openClose"`
				Save      json.RawMessage `json:"save"`
			} `json:"textDocumentSync"`
			CodeActionProvider struct {
				CodeActionKinds []string `json:"codeActionKinds"`
			} `json:"codeActionProvider"`
		} `json:"capabilities"`
		ServerInfo struct{ Name string } `json:"serverInfo"`
	}
	if err := json.Unmarshal(init.Result, &ir); err != nil {
		t.Fatal(err)
	}
	if !ir.Capabilities.TextDocumentSync.OpenClose || ir.Capabilities.TextDocumentSync.Save == nil ||
		fmt.Sprint(ir.Capabilities.CodeActionProvider.CodeActionKinds) != "[quickfix]" || ir.ServerInfo.Name != "syncvet" {
		t.Errorf("initialize result: %s", init.Result)
	}

	m := c.mark()
	c.open(bank)
	bankDiags := c.diagnostics(m, fileURIOf(bank), "the lock order inversion", func(ds []lspDiag) bool { return len(ds) > 0 })
	cacheDiags := c.diagnostics(m, fileURIOf(cache), "the early return", func(ds []lspDiag) bool { return len(ds) > 0 })

	if len(bankDiags) != 1 {
		t.Fatalf("bank.go: got %d diagnostics, want 1: %+v", len(bankDiags), bankDiags)
	}
	d := bankDiags[0]
	// Line 25, byte column 21 of "\tlédger𝒜.mu.Lock()": 17 UTF-16 units
	// precede the call's parenthesis.
	if want := (lspRange{lspPos{24, 17}, lspPos{24, 17}}); d.Range != want {
		t.Errorf("lockorder range = %+v, want %+v", d.Range, want)
	}
	if d.Code != "lockorder" || d.Source != "syncvet" || d.Severity != 2 ||
		d.CodeDescription == nil || d.CodeDescription.Href != "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/lockorder" {
		t.Errorf("lockorder diagnostic: %+v", d)
	}
	if !strings.HasPrefix(d.Message, "lock order inversion: Ledger.mu acquired while holding Account.mu") {
		t.Errorf("lockorder message = %q", d.Message)
	}
	if len(d.RelatedInformation) != 1 {
		t.Fatalf("lockorder related information: %+v", d.RelatedInformation)
	}
	r := d.RelatedInformation[0]
	if r.Location.URI != fileURIOf(bank) || r.Location.Range.Start != (lspPos{35, 10}) ||
		r.Message != "Account.mu acquired while holding Ledger.mu in Audit" {
		t.Errorf("lockorder related information: %+v", r)
	}

	if len(cacheDiags) != 1 {
		t.Fatalf("cache.go: got %d diagnostics, want 1: %+v", len(cacheDiags), cacheDiags)
	}
	d = cacheDiags[0]
	if d.Code != "overlock" || d.Range.Start != (lspPos{20, 2}) || d.Message != "return leaves c.mu locked: it is unlocked on other return paths" ||
		len(d.RelatedInformation) != 1 || d.RelatedInformation[0].Location.Range.Start != (lspPos{17, 10}) ||
		d.RelatedInformation[0].Message != "c.mu locked here" {
		t.Errorf("overlock diagnostic: %+v", d)
	}

	// Progress: the server asked to create a token, then began and ended
	// a work-done progress with it.
	c.waitFor(0, "window/workDoneProgress/create", func(m rpcMsg) bool { return m.Method == "window/workDoneProgress/create" })
	for _, kind := range []string{"begin", "end"} {
		c.waitFor(0, "$/progress "+kind, func(m rpcMsg) bool {
			var p struct {
				Token string
				Value struct{ Kind, Title string }
			}
			return m.Method == "$/progress" && json.Unmarshal(m.Params, &p) == nil &&
				strings.HasPrefix(p.Token, "syncvet-") && p.Value.Kind == kind
		})
	}

	// The suggested fix, as a code action on the finding's line.
	actions := c.codeActions(cache, 20)
	if len(actions) != 2 {
		t.Fatalf("code actions on cache.go:21: %+v", actions)
	}
	fix := actions[0]
	if fix.Title != "call c.mu.Unlock() before returning" || fix.Kind != "quickfix" || !fix.IsPreferred ||
		len(fix.Diagnostics) != 1 || fix.Diagnostics[0].Code != "overlock" || len(fix.Edit.Changes[fileURIOf(cache)]) != 1 {
		t.Errorf("fix action: %+v", fix)
	}
	if !strings.HasPrefix(actions[1].Title, "Silence overlock here") {
		t.Errorf("second action: %+v", actions[1])
	}
	m = c.mark()
	applyEdits(t, fix.Edit.Changes)
	c.save(cache)
	c.diagnostics(m, fileURIOf(cache), "cleared after the fix", func(ds []lspDiag) bool { return len(ds) == 0 })
	got, _ := os.ReadFile(cache)
	if !strings.Contains(string(got), "\tif !ok {\n\t\tc.mu.Unlock()\n\t\treturn 0, errMissing\n") {
		t.Errorf("cache.go after the fix:\n%s", got)
	}

	// The //syncvet:ignore action on the lock order inversion.
	actions = c.codeActions(bank, 24)
	if len(actions) != 1 || !strings.HasPrefix(actions[0].Title, "Silence lockorder here with //syncvet:ignore lockorder") {
		t.Fatalf("code actions on bank.go:25: %+v", actions)
	}
	m = c.mark()
	applyEdits(t, actions[0].Edit.Changes)
	c.save(bank)
	c.diagnostics(m, fileURIOf(bank), "cleared after the directive", func(ds []lspDiag) bool { return len(ds) == 0 })
	got, _ = os.ReadFile(bank)
	if !strings.Contains(string(got), "\ta.mu.Lock()\n\tdefer a.mu.Unlock()\n\t//syncvet:ignore lockorder <why the finding is wrong here>\n\tlédger𝒜.mu.Lock()\n") {
		t.Errorf("bank.go after the directive:\n%s", got)
	}

	if resp := c.call("shutdown", nil); resp.Error != nil || string(resp.Result) != "null" {
		t.Errorf("shutdown: %+v", resp)
	}
	c.notify("exit", nil)
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("syncvet lsp exited with %v after shutdown and exit; stderr:\n%s", err, stderr)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("syncvet lsp did not exit")
	}
}

// rpcError returns the error code of a response, or 0.
func rpcError(m rpcMsg) int {
	if m.Error == nil {
		return 0
	}
	return m.Error.Code
}

// TestLSPBadInput sends what a broken client might: requests before
// initialize, frames that are not JSON or not JSON-RPC, unknown methods
// and bad params. The server answers each as JSON-RPC says and goes on.
func TestLSPBadInput(t *testing.T) {
	dir := copyLSPFixture(t)
	c, done := startLSPInProcess(t)

	if m := c.call("textDocument/codeAction", map[string]any{}); rpcError(m) != -32002 {
		t.Errorf("request before initialize: %+v, want error -32002", m)
	}
	c.initialize(dir, nil)
	if m := c.call("initialize", map[string]any{"capabilities": map[string]any{}}); rpcError(m) != -32600 {
		t.Errorf("second initialize: %+v, want error -32600", m)
	}

	nullError := func(from int, code int, what string) {
		t.Helper()
		c.waitFor(from, what, func(m rpcMsg) bool {
			return m.Method == "" && string(m.ID) == "null" && rpcError(m) == code
		})
	}
	m := c.mark()
	c.writeRaw([]byte("Content-Length: 5\r\n\r\n{oops"))
	nullError(m, -32700, "a parse error for a body that is not JSON")
	m = c.mark()
	c.writeRaw([]byte("hello there\r\n\r\n"))
	nullError(m, -32700, "a parse error for a header without Content-Length")
	m = c.mark()
	c.writeRaw([]byte("Content-Length: 5\r\n\r\n[1,2]"))
	nullError(m, -32600, "an invalid-request error for JSON that is not a message")
	m = c.mark()
	body := `{"jsonrpc":"2.0","id":41,"method":7}`
	c.writeRaw([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)))
	c.waitFor(m, "an invalid-request error with the message's id", func(m rpcMsg) bool {
		return string(m.ID) == "41" && rpcError(m) == -32600
	})

	if m := c.call("syncvet/noSuchMethod", map[string]any{}); rpcError(m) != -32601 {
		t.Errorf("unknown method: %+v, want error -32601", m)
	}
	c.notify("syncvet/noSuchNotification", map[string]any{"x": 1})
	c.notify("textDocument/didOpen", 5) // bad params in a notification: logged
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "untitled:Untitled-1"}})
	if m := c.call("textDocument/codeAction", 5); rpcError(m) != -32602 {
		t.Errorf("codeAction with bad params: %+v, want error -32602", m)
	}
	if m := c.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": "file:///nowhere/x.go"},
		"range":        lspRange{},
		"context":      map[string]any{"diagnostics": []any{}},
	}); rpcError(m) != 0 || string(m.Result) != "[]" {
		t.Errorf("codeAction on an unknown file: %+v, want []", m)
	}

	// A file saved and then deleted, with its whole package, before the
	// analysis: its diagnostics are cleared, nothing else happens.
	gone := filepath.Join(dir, "gone", "gone.go")
	if err := os.MkdirAll(filepath.Dir(gone), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gone, []byte("package gone\n\nimport \"sync\"\n\nfunc F(mu *sync.Mutex) {\n\tmu.Lock()\n\tmu.Unlock()\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = c.mark()
	c.open(gone)
	c.diagnostics(m, fileURIOf(gone), "the empty critical section", func(ds []lspDiag) bool { return len(ds) == 1 && ds[0].Code == "overlock" })
	if err := os.RemoveAll(filepath.Dir(gone)); err != nil {
		t.Fatal(err)
	}
	m = c.mark()
	c.save(gone)
	c.diagnostics(m, fileURIOf(gone), "cleared when the file is gone", func(ds []lspDiag) bool { return len(ds) == 0 })

	// The server still works.
	m = c.mark()
	c.open(filepath.Join(dir, "bank", "bank.go"))
	c.diagnostics(m, fileURIOf(filepath.Join(dir, "bank", "bank.go")), "the lock order inversion", func(ds []lspDiag) bool { return len(ds) == 1 })
	if resp := c.call("shutdown", nil); resp.Error != nil {
		t.Errorf("shutdown: %+v", resp)
	}
	if m := c.call("textDocument/codeAction", map[string]any{}); rpcError(m) != -32600 {
		t.Errorf("request after shutdown: %+v, want error -32600", m)
	}
	c.notify("exit", nil)
	if code, ok := done(); !ok {
		t.Fatal("the server did not exit")
	} else if code != 0 {
		t.Errorf("exit code after shutdown = %d, want 0", code)
	}
}

// TestLSPErrors checks the errors an editor shows: a package that does
// not type-check, a file outside any module, and (in a subprocess with
// no go on PATH) a missing toolchain.
func TestLSPErrors(t *testing.T) {
	dir := copyLSPFixture(t)
	c, _ := startLSPInProcess(t)
	c.initialize(dir, nil)

	broken := filepath.Join(dir, "broken", "broken.go")
	m := c.mark()
	c.open(broken)
	ds := c.diagnostics(m, fileURIOf(broken), "the type error", func(ds []lspDiag) bool { return len(ds) > 0 })
	if len(ds) != 1 || ds[0].Severity != 1 || ds[0].Source != "syncvet" || ds[0].Range.Start != (lspPos{5, 8}) ||
		!strings.Contains(ds[0].Message, `cannot use "many" (untyped string constant) as int value in return statement`) {
		t.Errorf("type error: %+v", ds)
	}

	// Other packages keep working.
	bank := filepath.Join(dir, "bank", "bank.go")
	m = c.mark()
	c.open(bank)
	c.diagnostics(m, fileURIOf(bank), "the lock order inversion", func(ds []lspDiag) bool { return len(ds) == 1 && ds[0].Code == "lockorder" })

	outside := filepath.Join(t.TempDir(), "loose.go")
	if err := os.WriteFile(outside, []byte("package loose\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = c.mark()
	c.open(outside)
	ds = c.diagnostics(m, fileURIOf(outside), "outside any module", func(ds []lspDiag) bool { return len(ds) > 0 })
	if len(ds) != 1 || ds[0].Severity != 1 || !strings.Contains(ds[0].Message, "outside any Go module") {
		t.Errorf("file outside a module: %+v", ds)
	}
	c.waitFor(m, "window/showMessage about the module", func(m rpcMsg) bool {
		return m.Method == "window/showMessage" && strings.Contains(string(m.Params), "outside any Go module")
	})

	t.Run("no go on PATH", func(t *testing.T) {
		var env []string
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "PATH=") {
				env = append(env, e)
			}
		}
		c, _, _ := startLSPProcess(t, append(env, "PATH="+t.TempDir()))
		c.initialize(dir, nil)
		m := c.mark()
		c.open(bank)
		ds := c.diagnostics(m, fileURIOf(bank), "the missing toolchain", func(ds []lspDiag) bool { return len(ds) > 0 })
		if len(ds) != 1 || ds[0].Severity != 1 || !strings.Contains(ds[0].Message, "the go command is not on PATH") {
			t.Errorf("missing toolchain: %+v", ds)
		}
		c.waitFor(m, "window/showMessage about the toolchain", func(m rpcMsg) bool {
			return m.Method == "window/showMessage" && strings.Contains(string(m.Params), "not on PATH")
		})
	})
}

// TestLSPSettings checks the settings: checks turned off by
// initializationOptions, build tags and checks changed by
// workspace/didChangeConfiguration, and settings that name no check.
func TestLSPSettings(t *testing.T) {
	dir := copyLSPFixture(t)
	c, _ := startLSPInProcess(t)
	c.initialize(dir, map[string]any{"checks": map[string]any{"overlock": false}})

	bank := filepath.Join(dir, "bank", "bank.go")
	cache := filepath.Join(dir, "bank", "cache.go")
	m := c.mark()
	c.open(bank)
	c.open(cache)
	c.diagnostics(m, fileURIOf(bank), "the lock order inversion", func(ds []lspDiag) bool { return len(ds) == 1 })
	c.diagnostics(m, fileURIOf(cache), "none with overlock off", func(ds []lspDiag) bool { return len(ds) == 0 })

	// The tagged package is empty without its tag, analysed with it.
	tagged := filepath.Join(dir, "tagged", "tagged.go")
	m = c.mark()
	c.open(tagged)
	ds := c.diagnostics(m, fileURIOf(tagged), "no package without the tag", func(ds []lspDiag) bool { return len(ds) > 0 })
	if len(ds) != 1 || ds[0].Severity != 3 || !strings.Contains(ds[0].Message, "build constraints exclude all Go files") {
		t.Errorf("tagged package without its tag: %+v", ds)
	}
	m = c.mark()
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{
		"syncvet": map[string]any{"tags": []string{"integration"}},
	}})
	ds = c.diagnostics(m, fileURIOf(tagged), "the finding with the tag", func(ds []lspDiag) bool { return len(ds) > 0 && ds[0].Code != "" })
	if len(ds) != 1 || ds[0].Code != "overlock" || ds[0].Range.Start != (lspPos{9, 8}) {
		t.Errorf("tagged package with its tag: %+v", ds)
	}
	// The new settings replaced the old: overlock is on again.
	c.diagnostics(m, fileURIOf(cache), "the early return with overlock on", func(ds []lspDiag) bool { return len(ds) == 1 && ds[0].Code == "overlock" })

	m = c.mark()
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"checks": map[string]any{"nosuchcheck": true}}})
	c.waitFor(m, "window/showMessage about the unknown check", func(m rpcMsg) bool {
		return m.Method == "window/showMessage" && strings.Contains(string(m.Params), `no check named \"nosuchcheck\"`)
	})
	if m := c.call("syncvet/ping", nil); rpcError(m) != -32601 {
		t.Errorf("after bad settings: %+v", m)
	}
}

// TestLSPCancel opens and saves a file in a row: the save cancels the
// analysis that the open started (it cannot have finished: it waits for
// the client to create its progress token, which the server reads only
// after the save), and only the save's analysis is published.
func TestLSPCancel(t *testing.T) {
	dir := copyLSPFixture(t)
	c, _ := startLSPInProcess(t)
	c.initialize(dir, nil)
	bank := filepath.Join(dir, "bank", "bank.go")
	m := c.mark()
	c.open(bank)
	c.save(bank)
	c.waitFor(m, "the cancellation", func(m rpcMsg) bool {
		return m.Method == "window/logMessage" && strings.Contains(string(m.Params), "a newer save cancels the analysis")
	})
	c.diagnostics(m, fileURIOf(bank), "the lock order inversion", func(ds []lspDiag) bool { return len(ds) == 1 })
	// The cancelled analysis ends before the next one starts, so once
	// a progress has ended with findings, all that will be published
	// for the pair of events is here.
	c.waitFor(m, "the end of the analysis", func(m rpcMsg) bool {
		return m.Method == "$/progress" && strings.Contains(string(m.Params), `"message":"2 findings"`)
	})
	c.mu.Lock()
	n := 0
	for _, msg := range c.msgs[m:] {
		if msg.Method == "textDocument/publishDiagnostics" && strings.Contains(string(msg.Params), `bank.go"`) {
			n++
		}
	}
	c.mu.Unlock()
	if n != 1 {
		t.Errorf("bank.go's diagnostics were published %d times, want once:\n%s", n, c.dump())
	}
}

func TestParseLSPSettings(t *testing.T) {
	as := analyzers.All()
	for _, tc := range []struct {
		in      string
		args    string
		wantErr string
	}{
		{`null`, ``, ``},
		{`{}`, ``, ``},
		{`{"syncvet": null}`, ``, ``},
		{`{"checks": {"SA2000": true, "goroutineleak": false}, "tags": "a, b"}`, `-tags=a,b -SA2000=true -goroutineleak=false`, ``},
		{`{"syncvet": {"tags": ["x"], "flags": {"testinggoroutine.subtest": true}}}`, `-tags=x -testinggoroutine.subtest=true`, ``},
		{`{"checks": {"nope": true}}`, ``, `no check named "nope"`},
		{`{"checks": {"overlock": "yes"}}`, ``, `checks.overlock must be true or false`},
		{`{"flags": {"overlock.nope": 1}}`, ``, `no flag "overlock.nope"`},
		{`{"tags": [1]}`, ``, `tags must be build tag names`},
		{`{"colour": "blue"}`, ``, `unknown setting "colour"`},
		{`[1]`, ``, `settings must be a JSON object`},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Fatal(err)
		}
		got, err := parseLSPSettings(v, as)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if args := strings.Join(got.vetArgs(), " "); args != tc.args {
			t.Errorf("%s: vet args %q, want %q", tc.in, args, tc.args)
		}
	}
}
