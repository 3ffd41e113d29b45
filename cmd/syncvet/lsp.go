package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"golang.org/x/tools/go/analysis"
)

// lspUsage is printed by syncvet lsp -h.
const lspUsage = `usage: syncvet lsp

syncvet lsp is a Language Server Protocol server on standard input and
output, to run beside gopls. When a Go file is opened or saved it runs
go vet with syncvet as the vet tool on the file's package (its tests
included) and publishes the findings as diagnostics, with related
locations, suggested fixes and a //syncvet:ignore action as code actions.
It analyses the files on disk: unsaved changes are not seen until saved.

Settings (initializationOptions, or workspace/didChangeConfiguration,
either bare or under a "syncvet" key):

	{"checks": {"SA2000": true, "goroutineleak": false},
	 "tags": ["integration"],
	 "flags": {"NAME.FLAG": "value"}}

checks and flags are the standalone driver's -NAME and -NAME.FLAG flags;
tags are build tags, as for go build. See docs/integrations.md.
`

// lspMain runs the language server until the client sends exit or
// closes its input, and returns the process's exit code.
func lspMain(args []string, as []*analysis.Analyzer, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("syncvet lsp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, lspUsage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "syncvet lsp: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return exitUsage
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "syncvet lsp: cannot find own executable: %v\n", err)
		return exitError
	}
	s := newLSPServer(exe, as, stderr)
	stream := newLSPStream(stdin, stdout, nil, s.logf)
	return s.serve(stream)
}

// lspServer is the state of one language server session.
type lspServer struct {
	exe  string
	as   []*analysis.Analyzer
	logw io.Writer

	ctx    context.Context // cancelled at shutdown
	cancel context.CancelFunc
	conn   jsonrpc2.Conn
	sem    chan struct{} // bounds the go vet runs at once
	exited chan int

	logMu sync.Mutex // serialises writes to logw

	wg sync.WaitGroup // running analyses

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	progress    bool // the client takes work-done progress
	settings    lspSettings
	open        map[string]protocol.DocumentURI // path of an open file -> its URI as the client spelled it
	jobs        map[string]*lspJob              // package directory -> analysis in flight
	published   map[string]map[string]bool      // package directory -> files given diagnostics
	findings    map[string][]*lspFinding        // file -> findings published for it
	shown       map[string]bool                 // messages shown once
	seq         int                             // progress tokens
}

func newLSPServer(exe string, as []*analysis.Analyzer, logw io.Writer) *lspServer {
	ctx, cancel := context.WithCancel(context.Background())
	return &lspServer{
		exe: exe, as: as, logw: logw,
		ctx: ctx, cancel: cancel,
		sem:       make(chan struct{}, 2),
		exited:    make(chan int, 1),
		open:      make(map[string]protocol.DocumentURI),
		jobs:      make(map[string]*lspJob),
		published: make(map[string]map[string]bool),
		findings:  make(map[string][]*lspFinding),
		shown:     make(map[string]bool),
	}
}

// serve answers messages on stream until exit or the end of the input.
func (s *lspServer) serve(stream jsonrpc2.Stream) int {
	s.conn = jsonrpc2.NewConn(stream)
	s.conn.Go(s.ctx, s.handle)
	code := 0
	select {
	case code = <-s.exited:
	case <-s.conn.Done():
		s.mu.Lock()
		if !s.shutdown {
			code = 1
		}
		s.mu.Unlock()
		if err := s.conn.Err(); err != nil && !errors.Is(err, io.EOF) {
			s.logf("connection ended: %v", err)
		}
	}
	s.stop()
	return code
}

// stop cancels the analyses in flight and waits a little for them.
func (s *lspServer) stop() {
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

func (s *lspServer) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.logw, "syncvet lsp: "+format+"\n", args...)
}

// notify sends a notification to the client, logging a failure.
func (s *lspServer) notify(method string, params any) {
	if err := s.conn.Notify(s.ctx, method, params); err != nil {
		s.logf("sending %s: %v", method, err)
	}
}

// logMessage sends a window/logMessage, which editors keep in their log.
func (s *lspServer) logMessage(typ protocol.MessageType, format string, args ...any) {
	s.notify(protocol.MethodWindowLogMessage, &protocol.LogMessageParams{Type: typ, Message: fmt.Sprintf(format, args...)})
}

// showOnce shows an error to the user, once per distinct message.
func (s *lspServer) showOnce(msg string) {
	s.mu.Lock()
	seen := s.shown[msg]
	s.shown[msg] = true
	s.mu.Unlock()
	if !seen {
		s.notify(protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: msg})
	}
}

// handle answers one message. It never returns an error: that would end
// the connection.
func (s *lspServer) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) (err error) {
	_, isCall := req.(*jsonrpc2.Call)
	replied := false
	answer := func(result any, rerr error) {
		replied = true
		if !isCall {
			return
		}
		if err := reply(ctx, result, rerr); err != nil {
			s.logf("answering %s: %v", req.Method(), err)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			s.logf("internal error handling %s: %v\n%s", req.Method(), r, debug.Stack())
			if !replied {
				answer(nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in syncvet lsp: %v", r))
			}
		}
		err = nil
	}()

	method := req.Method()
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch {
	case method == protocol.MethodExit:
		code := 1
		if shutdown {
			code = 0
		}
		select {
		case s.exited <- code:
		default:
		}
		return nil
	case !initialized && method != protocol.MethodInitialize:
		if isCall {
			answer(nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized: send initialize first"))
		}
		return nil
	case shutdown && isCall:
		answer(nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shut down: only exit is accepted"))
		return nil
	}

	params := req.Params()
	decode := func(v any) bool {
		if len(params) == 0 || string(params) == "null" {
			answer(nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, method+": missing params"))
			s.logf("%s: missing params", method)
			return false
		}
		if err := json.Unmarshal(params, v); err != nil {
			answer(nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: bad params: %v", method, err))
			s.logf("%s: bad params: %v", method, err)
			return false
		}
		return true
	}

	switch method {
	case protocol.MethodInitialize:
		var p protocol.InitializeParams
		if !decode(&p) {
			return nil
		}
		if initialized {
			answer(nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already sent"))
			return nil
		}
		settings, err := parseLSPSettings(p.InitializationOptions, s.as)
		if err != nil {
			s.logf("initializationOptions: %v", err)
			answer(nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "syncvet initializationOptions: %v", err))
			return nil
		}
		s.mu.Lock()
		s.initialized = true
		s.settings = settings
		s.progress = p.Capabilities.Window != nil && p.Capabilities.Window.WorkDoneProgress
		s.mu.Unlock()
		answer(&protocol.InitializeResult{
			Capabilities: protocol.ServerCapabilities{
				TextDocumentSync: &protocol.TextDocumentSyncOptions{
					OpenClose: true,
					Change:    protocol.TextDocumentSyncKindNone,
					Save:      &protocol.SaveOptions{},
				},
				CodeActionProvider: &protocol.CodeActionOptions{
					CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix},
				},
			},
			ServerInfo: &protocol.ServerInfo{Name: "syncvet", Version: lspVersion()},
		}, nil)

	case protocol.MethodInitialized:

	case protocol.MethodShutdown:
		s.mu.Lock()
		s.shutdown = true
		for _, j := range s.jobs {
			j.cancel()
		}
		s.mu.Unlock()
		answer(nil, nil)

	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if decode(&p) {
			s.opened(p.TextDocument.URI, true)
		}

	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if decode(&p) {
			s.opened(p.TextDocument.URI, false)
		}

	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if decode(&p) {
			s.closed(p.TextDocument.URI)
		}

	case protocol.MethodWorkspaceDidChangeConfiguration:
		var p protocol.DidChangeConfigurationParams
		if !decode(&p) {
			return nil
		}
		settings, err := parseLSPSettings(p.Settings, s.as)
		if err != nil {
			s.logf("settings: %v", err)
			s.showOnce("syncvet: settings not applied: " + err.Error())
			return nil
		}
		s.mu.Lock()
		s.settings = settings
		dirs := make(map[string]bool)
		for path := range s.open {
			dirs[filepath.Dir(path)] = true
		}
		s.mu.Unlock()
		for _, dir := range sortedKeys(dirs) {
			s.schedule(dir)
		}

	case protocol.MethodTextDocumentCodeAction:
		var p protocol.CodeActionParams
		if decode(&p) {
			answer(s.codeActions(&p), nil)
		}

	default:
		if isCall {
			answer(nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "syncvet lsp does not implement %s", method))
		} else if !strings.HasPrefix(method, "$/") && method != protocol.MethodTextDocumentDidChange {
			s.logf("ignoring notification %s", method)
		}
	}
	return nil
}

// lspVersion returns the module version syncvet was built from.
func lspVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// opened records an opened or saved document and analyses its package.
func (s *lspServer) opened(u protocol.DocumentURI, open bool) {
	path, ok := uriPath(u)
	if !ok {
		s.logf("ignoring %s: not a file URI", u)
		return
	}
	if !strings.HasSuffix(path, ".go") {
		return
	}
	s.mu.Lock()
	_, known := s.open[path]
	if open || known {
		s.open[path] = u
	}
	s.mu.Unlock()
	s.schedule(filepath.Dir(path))
}

// closed forgets a document; when it was the last open file of its
// package, the package's diagnostics are cleared.
func (s *lspServer) closed(u protocol.DocumentURI) {
	path, ok := uriPath(u)
	if !ok {
		return
	}
	dir := filepath.Dir(path)
	s.mu.Lock()
	delete(s.open, path)
	for p := range s.open {
		if filepath.Dir(p) == dir {
			s.mu.Unlock()
			return
		}
	}
	if j := s.jobs[dir]; j != nil {
		j.cancel()
		delete(s.jobs, dir)
	}
	var clear []protocol.DocumentURI
	for _, p := range sortedKeys(s.published[dir]) {
		clear = append(clear, docURI(p))
		delete(s.findings, p)
	}
	delete(s.published, dir)
	s.mu.Unlock()
	for _, cu := range clear {
		s.notify(protocol.MethodTextDocumentPublishDiagnostics, &protocol.PublishDiagnosticsParams{URI: cu, Diagnostics: []protocol.Diagnostic{}})
	}
}

// uriPath returns the cleaned file path of a file URI.
func uriPath(u protocol.DocumentURI) (string, bool) {
	pu, err := url.Parse(string(u))
	if err != nil || pu.Scheme != "file" || pu.Path == "" {
		return "", false
	}
	p := pu.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // Windows drive letter
	}
	return filepath.Clean(filepath.FromSlash(p)), true
}

// lspSettings are the server's settings.
type lspSettings struct {
	Checks map[string]bool   // -NAME=BOOL
	Flags  map[string]string // -NAME.FLAG=VALUE
	Tags   []string
}

// vetArgs returns the go vet flags that apply the settings.
func (c lspSettings) vetArgs() []string {
	var args []string
	if len(c.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(c.Tags, ","))
	}
	for _, name := range sortedKeys(c.Checks) {
		args = append(args, fmt.Sprintf("-%s=%t", name, c.Checks[name]))
	}
	for _, name := range sortedKeys(c.Flags) {
		args = append(args, "-"+name+"="+c.Flags[name])
	}
	return args
}

// parseLSPSettings decodes settings sent as initializationOptions or in
// workspace/didChangeConfiguration: an object with the keys checks,
// tags and flags, bare or under "syncvet". It rejects unknown keys,
// checks and flags. Null or a missing object gives the defaults.
func parseLSPSettings(v any, as []*analysis.Analyzer) (lspSettings, error) {
	var c lspSettings
	if v == nil {
		return c, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return c, fmt.Errorf("settings must be a JSON object, not %T", v)
	}
	if inner, ok := m["syncvet"]; ok && len(m) == 1 {
		if inner == nil {
			return c, nil
		}
		if m, ok = inner.(map[string]any); !ok {
			return c, fmt.Errorf(`"syncvet" must be a JSON object`)
		}
	}
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range as {
		byName[a.Name] = a
	}
	for _, key := range sortedKeys(m) {
		val := m[key]
		switch key {
		case "checks":
			checks, ok := val.(map[string]any)
			if !ok && val != nil {
				return c, fmt.Errorf(`"checks" must map check names to true or false`)
			}
			for name, on := range checks {
				b, ok := on.(bool)
				if !ok {
					return c, fmt.Errorf("checks.%s must be true or false", name)
				}
				if byName[name] == nil {
					return c, fmt.Errorf("no check named %q ('syncvet help' lists them)", name)
				}
				if c.Checks == nil {
					c.Checks = make(map[string]bool)
				}
				c.Checks[name] = b
			}
		case "flags":
			flags, ok := val.(map[string]any)
			if !ok && val != nil {
				return c, fmt.Errorf(`"flags" must map NAME.FLAG to values`)
			}
			for name, fv := range flags {
				check, fname, _ := strings.Cut(name, ".")
				a := byName[check]
				if a == nil || a.Flags.Lookup(fname) == nil {
					return c, fmt.Errorf("no flag %q ('syncvet help CHECK' lists a check's flags)", name)
				}
				var s string
				switch fv := fv.(type) {
				case string:
					s = fv
				case bool, float64:
					s = fmt.Sprint(fv)
				default:
					return c, fmt.Errorf("flags.%s must be a string, number or boolean", name)
				}
				if c.Flags == nil {
					c.Flags = make(map[string]string)
				}
				c.Flags[name] = s
			}
		case "tags":
			switch t := val.(type) {
			case nil:
			case string:
				for _, tag := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ' ' }) {
					c.Tags = append(c.Tags, tag)
				}
			case []any:
				for _, tag := range t {
					ts, ok := tag.(string)
					if !ok || ts == "" || strings.ContainsAny(ts, ", \t") {
						return c, fmt.Errorf("tags must be build tag names, got %v", tag)
					}
					c.Tags = append(c.Tags, ts)
				}
			default:
				return c, fmt.Errorf("tags must be a list of build tags or a comma-separated string")
			}
		default:
			return c, fmt.Errorf("unknown setting %q (known: checks, tags, flags)", key)
		}
	}
	return c, nil
}

// checkURL returns the documentation page of a check, as SARIF's rules
// give it.
func checkURL(as []*analysis.Analyzer, name string) string {
	for _, a := range as {
		if a.Name == name {
			if a.URL != "" {
				return a.URL
			}
			return analyzersDoc + strings.ToLower(a.Name)
		}
	}
	return syncvetURL
}

// docURI returns the file URI of an absolute path.
func docURI(path string) protocol.DocumentURI { return protocol.DocumentURI(fileURI(path)) }
