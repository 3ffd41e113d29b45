package basic // want package:`edges\(\(\*basic.Bank\).mu->\(\*basic.Ledger\).mu, \(\*basic.Ledger\).mu->\(\*basic.Bank\).mu, .*basic.muG2->basic.muG1, .*\(\*basic.tlsConn\).hs->\(\*basic.tlsConn\).out.Mutex, .*\)`

import "sync"

// Two-lock cycle across functions.

type Bank struct {
	mu    sync.Mutex
	total int
}

type Ledger struct {
	mu      sync.Mutex
	entries []int
}

func (b *Bank) Pay(l *Ledger, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l.mu.Lock() // want `lock order inversion: Ledger.mu acquired while holding Bank.mu; \(\*Ledger\).Audit acquires them in the other order`
	l.entries = append(l.entries, n)
	l.mu.Unlock()
	b.total += n
}

func (l *Ledger) Audit(b *Bank) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return b.read() // Bank.mu taken inside read, while Ledger.mu is held
}

func (b *Bank) read() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total
}

// Clean twin: the same two classes, Store.mu always before Index.mu.

type Store struct {
	mu sync.Mutex
	n  int
}

type Index struct {
	mu sync.Mutex
	n  int
}

func (s *Store) Put(x *Index) {
	s.mu.Lock()
	x.mu.Lock()
	x.n++
	x.mu.Unlock()
	s.mu.Unlock()
}

func (x *Index) Rebuild(s *Store) {
	s.mu.Lock() // ok: Store.mu first here too
	x.mu.Lock()
	x.n = s.n
	x.mu.Unlock()
	s.mu.Unlock()
}

// Three-lock cycle: A -> B, B -> C, C -> A, each in its own function.

var (
	muA sync.Mutex
	muB sync.Mutex
	muC sync.Mutex
)

func ab() {
	muA.Lock()
	muB.Lock() // want `lock order cycle muA → muB → muC → muA: muB acquired while holding muA`
	muB.Unlock()
	muA.Unlock()
}

func bc() {
	muB.Lock()
	muC.Lock()
	muC.Unlock()
	muB.Unlock()
}

func ca() {
	muC.Lock()
	muA.Lock()
	muA.Unlock()
	muC.Unlock()
}

// Clean twin: X -> Y, Y -> Z, X -> Z.

var (
	muX sync.Mutex
	muY sync.Mutex
	muZ sync.Mutex
)

func xy() {
	muX.Lock()
	muY.Lock()
	muY.Unlock()
	muX.Unlock()
}

func yz() {
	muY.Lock()
	muZ.Lock()
	muZ.Unlock()
	muY.Unlock()
}

func xz() {
	muX.Lock()
	muZ.Lock()
	muZ.Unlock()
	muX.Unlock()
}

// Released before the next is taken: no edge, no cycle.

var muP, muQ sync.Mutex

func pq() {
	muP.Lock()
	muQ.Lock()
	muQ.Unlock()
	muP.Unlock()
}

func qpReleased() {
	muQ.Lock()
	muQ.Unlock() // ok: released before muP is taken
	muP.Lock()
	muP.Unlock()
}

// TryLock with back-off: no wait, no cycle.

func qpTry() bool {
	muQ.Lock()
	defer muQ.Unlock()
	if !muP.TryLock() { // ok: TryLock does not wait
		return false
	}
	muP.Unlock()
	return true
}

// Gate lock: both orders only ever under gate.

var gate, muG1, muG2 sync.Mutex

func g12() {
	gate.Lock()
	muG1.Lock()
	muG2.Lock()
	muG2.Unlock()
	muG1.Unlock()
	gate.Unlock()
}

func g21() {
	gate.Lock()
	muG2.Lock()
	muG1.Lock() // ok: gate is held around both orders
	muG1.Unlock()
	muG2.Unlock()
	gate.Unlock()
}
