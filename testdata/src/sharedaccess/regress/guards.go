package regress

import "sync"

// An unexported helper used under the package's protocol (net/http
// connReader.setReadLimit): not an API entry, not reported.
type ConnReader struct {
	mu     sync.Mutex
	remain int64 // want remain:"guarded\\(mu\\)"
}

func (cr *ConnReader) Read(n int64) { // want Read:"accesses\\(w 0\\.remain \\[\\(\\*regress\\.ConnReader\\)\\.mu\\]; r 0\\.remain \\[\\(\\*regress\\.ConnReader\\)\\.mu\\]\\)"
	cr.mu.Lock()
	cr.remain -= n
	cr.mu.Unlock()
}

func (cr *ConnReader) setReadLimit(n int64) { cr.remain = n }

// State written once under the lock during lazy parsing, read without
// it afterwards (debug/gosym LineTable).
type LineTable struct {
	mu     sync.Mutex
	parsed bool // want parsed:"guarded\\(mu\\)"
	binary []byte
}

func (t *LineTable) parse() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.parsed {
		return
	}
	t.binary = []byte{1}
	t.parsed = true
}

func (t *LineTable) Binary() []byte { // want Binary:"accesses\\(w 0\\.binary \\[\\(\\*regress\\.LineTable\\)\\.mu\\]; r 0\\.binary; w 0\\.parsed \\[\\(\\*regress\\.LineTable\\)\\.mu\\]; r 0\\.parsed \\[\\(\\*regress\\.LineTable\\)\\.mu\\]\\)"
	t.parse()
	return t.binary
}

// A field guarded by another struct's lock (go/token File and FileSet).
type File struct{ name string }

type FileSet struct {
	mutex sync.Mutex
	files []*File
}

func (s *FileSet) Rename(f *File, name string) { // want Rename:"accesses\\(w 1\\.name \\[\\(\\*regress\\.FileSet\\)\\.mutex\\]\\)"
	s.mutex.Lock()
	f.name = name
	s.mutex.Unlock()
}

func (s *FileSet) Add(f *File) { // want Add:"accesses\\(w 1\\.name \\[\\(\\*regress\\.FileSet\\)\\.mutex\\]; r 1\\.name \\[\\(\\*regress\\.FileSet\\)\\.mutex\\]\\)"
	s.mutex.Lock()
	f.name = f.name + "x"
	s.mutex.Unlock()
}

func (f *File) Name() string { return f.name } // want Name:"accesses\\(r 0\\.name\\)"

// Stop clears state after the reader has exited (runtime/trace
// FlightRecorder.Stop).
type Recorder struct {
	ringMu sync.Mutex
	ring   []int // want ring:"guarded\\(ringMu\\)"
}

func (r *Recorder) record(v int) {
	r.ringMu.Lock()
	r.ring = append(r.ring, v)
	r.ringMu.Unlock()
}

func (r *Recorder) WriteTo() int { // want WriteTo:"accesses\\(r 0\\.ring \\[\\(\\*regress\\.Recorder\\)\\.ringMu\\]\\)"
	r.ringMu.Lock()
	defer r.ringMu.Unlock()
	return len(r.ring)
}

func (r *Recorder) Stop() { // want Stop:"accesses\\(w 0\\.ring\\)"
	r.ring = nil
}

// A helper called from a goroutine with the lock held ("Assumes db.mu
// is locked", database/sql maybeOpenNewConnections).
type DB struct {
	mu      sync.Mutex
	numOpen int // want numOpen:"guarded\\(mu\\)"
	closed  bool
	openCh  chan struct{}
}

func (db *DB) maybeOpen() {
	if db.closed {
		return
	}
	db.numOpen++
}

func (db *DB) opener() {
	for range db.openCh {
		db.mu.Lock()
		db.maybeOpen()
		db.mu.Unlock()
	}
}

func (db *DB) Start() { go db.opener() } // want Start:`accesses\(r 0\.closed \[\(\*regress\.DB\)\.mu\]; w 0\.numOpen \[\(\*regress\.DB\)\.mu\]; r 0\.numOpen \[\(\*regress\.DB\)\.mu\]; r 0\.openCh; recv 0\.openCh\)`

func (db *DB) Close() { // want Close:"accesses\\(w 0\\.closed \\[\\(\\*regress\\.DB\\)\\.mu\\]; w 0\\.numOpen \\[\\(\\*regress\\.DB\\)\\.mu\\]\\)"
	db.mu.Lock()
	db.closed = true
	db.numOpen = 0
	db.mu.Unlock()
}
