package regress

import (
	"net/http"
	"sync"
)

// A global struct whose mutex is named through the global in one place
// and through a pointer in another (expvar vars.keysMu).
type Map struct {
	keysMu sync.RWMutex
	keys   []string
}

func (v *Map) Do(f func(string)) { // want Do:"accesses\\(r 0\\.keys \\[\\(\\*regress\\.Map\\)\\.keysMu\\]; r 0\\.keys\\[\\] \\[\\(\\*regress\\.Map\\)\\.keysMu\\]\\)"
	v.keysMu.RLock()
	defer v.keysMu.RUnlock()
	for _, k := range v.keys {
		f(k)
	}
}

var vars Map

func Publish(name string) { // want Publish:"accesses\\(w g:sharedaccess/regress\\.vars\\.keys \\[regress\\.vars\\.keysMu\\]; r g:sharedaccess/regress\\.vars\\.keys \\[regress\\.vars\\.keysMu\\]; r g:sharedaccess/regress\\.vars\\.keys\\[\\] \\[regress\\.vars\\.keysMu\\]\\)"
	vars.keysMu.Lock()
	defer vars.keysMu.Unlock()
	vars.keys = append(vars.keys, name)
}

func handler(w http.ResponseWriter, r *http.Request) {
	vars.Do(func(string) {})
}

func init() {
	http.HandleFunc("/debug/vars", handler)
	Publish("cmdline")
}

// Lazy resolution under the lock before an unlocked read (go/types
// Named.Method).
type Named struct {
	mu       sync.Mutex
	resolved bool  // want resolved:"guarded\\(mu\\)"
	methods  []int // want methods:"guarded\\(mu\\)"
}

func (t *Named) resolve() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.resolved {
		t.methods = append(t.methods, 1)
		t.resolved = true
	}
}

func (t *Named) AddMethod(m int) { // want AddMethod:"accesses\\(w 0\\.methods \\[\\(\\*regress\\.Named\\)\\.mu\\]; r 0\\.methods \\[\\(\\*regress\\.Named\\)\\.mu\\]; r 0\\.methods\\[\\] \\[\\(\\*regress\\.Named\\)\\.mu\\]\\)"
	t.mu.Lock()
	t.methods = append(t.methods, m)
	t.mu.Unlock()
}

func (t *Named) Method(i int) int { // want Method:"accesses\\(w 0\\.methods \\[\\(\\*regress\\.Named\\)\\.mu\\]; r 0\\.methods; r 0\\.methods \\[\\(\\*regress\\.Named\\)\\.mu\\]; r 0\\.methods\\[\\]; r 0\\.methods\\[\\] \\[\\(\\*regress\\.Named\\)\\.mu\\]; w 0\\.resolved \\[\\(\\*regress\\.Named\\)\\.mu\\]; r 0\\.resolved \\[\\(\\*regress\\.Named\\)\\.mu\\]\\)"
	t.resolve()
	return t.methods[i]
}

// Written only by a sync.Once initialiser (crypto/x509 systemRoots).
var (
	rootsOnce sync.Once
	rootsMu   sync.Mutex
	roots     []string
	rootsErr  error
)

func initRoots() {
	rootsMu.Lock()
	defer rootsMu.Unlock()
	roots, rootsErr = []string{"a"}, nil
}

func Roots() ([]string, error) { // want Roots:"accesses\\(w g:sharedaccess/regress\\.roots \\[caller\\-held,regress\\.rootsMu,sync\\.Once\\]; r g:sharedaccess/regress\\.roots \\[sync\\.Once\\]; w g:sharedaccess/regress\\.rootsErr \\[caller\\-held,regress\\.rootsMu,sync\\.Once\\]; r g:sharedaccess/regress\\.rootsErr \\[sync\\.Once\\]\\)"
	rootsOnce.Do(initRoots)
	return roots, rootsErr
}

// A ...Locked helper shared by a goroutine and its spawner: the callers
// hold the lock by contract (crypto/tls sendAlertLocked).
type conn struct {
	out sync.Mutex
	tmp [2]byte
}

func (c *conn) sendAlertLocked(b byte) { c.tmp[1] = b }

func (c *conn) sendAlert(b byte) {
	c.out.Lock()
	defer c.out.Unlock()
	c.sendAlertLocked(b)
}

func useConn(c *conn) {
	go c.sendAlert(1)
	c.out.Lock()
	c.sendAlertLocked(2)
	c.out.Unlock()
}

// A closure run by Once.Do inside many goroutines (runtime/pprof test).
var salt1 int

func onceInWorkers(n int) {
	var wg sync.WaitGroup
	var once sync.Once
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			salt := i
			once.Do(func() { salt1 = salt })
		}()
	}
	wg.Wait()
}
