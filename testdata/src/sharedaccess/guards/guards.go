package guards

import "sync"

// A getter without the lock.
type Cache struct {
	mu   sync.Mutex
	hits int               // want hits:"guarded\\(mu\\)"
	data map[string]string // want data:"guarded\\(mu\\)"
}

func (c *Cache) Get(k string) string { // want Get:"accesses\\(r 0\\.data \\[\\(\\*guards\\.Cache\\)\\.mu\\]; r 0\\.data\\{\\} \\[\\(\\*guards\\.Cache\\)\\.mu\\]; w 0\\.hits \\[\\(\\*guards\\.Cache\\)\\.mu\\]; r 0\\.hits \\[\\(\\*guards\\.Cache\\)\\.mu\\]\\)"
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits++
	return c.data[k]
}

func (c *Cache) Put(k, v string) { // want Put:"accesses\\(r 0\\.data \\[\\(\\*guards\\.Cache\\)\\.mu\\]; w 0\\.data\\{\\} \\[\\(\\*guards\\.Cache\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.data[k] = v
	c.mu.Unlock()
}

func (c *Cache) Hits() int { // want Hits:"accesses\\(r 0\\.hits\\)"
	return c.hits // want `unsynchronized read of c.hits: \(\*Cache\).Hits reads it without c.mu, which \(\*Cache\).Get writes holding it`
}

// Returning the guarded map out of the critical section.
func (c *Cache) Snapshot() map[string]string { // want Snapshot:"accesses\\(r 0\\.data \\[\\(\\*guards\\.Cache\\)\\.mu\\]\\)"
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.data // want `c.data escapes its critical section: \(\*Cache\).Snapshot returns the map guarded by c.mu, which \(\*Cache\).Put writes holding it`
}

func (c *Cache) Copy() map[string]string { // want Copy:"accesses\\(r 0\\.data \\[\\(\\*guards\\.Cache\\)\\.mu\\]; r 0\\.data\\{\\} \\[\\(\\*guards\\.Cache\\)\\.mu\\]\\)"
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(c.data))
	for k, v := range c.data {
		out[k] = v
	}
	return out
}

// Consistently locked: clean twin.
type Counter struct {
	mu sync.Mutex
	n  int // want n:"guarded\\(mu\\)"
}

func (c *Counter) Inc() { // want Inc:"accesses\\(w 0\\.n \\[\\(\\*guards\\.Counter\\)\\.mu\\]; r 0\\.n \\[\\(\\*guards\\.Counter\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *Counter) Value() int { // want Value:"accesses\\(r 0\\.n \\[\\(\\*guards\\.Counter\\)\\.mu\\]\\)"
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// A helper called only with the lock held.
func (c *Counter) add(d int) { c.n += d }

func (c *Counter) Add(d int) { // want Add:"accesses\\(w 0\\.n \\[\\(\\*guards\\.Counter\\)\\.mu\\]; r 0\\.n \\[\\(\\*guards\\.Counter\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.add(d)
	c.mu.Unlock()
}

// Constructors write fields before the value is shared.
func NewCounter(n int) *Counter {
	c := &Counter{}
	c.n = n
	return c
}

// Writes under a read lock.
type Registry struct {
	mu    sync.RWMutex
	items map[string]int // want items:"guarded\\(mu\\)"
}

func (r *Registry) Lookup(k string) int { // want Lookup:"accesses\\(r 0\\.items \\[\\(\\*guards\\.Registry\\)\\.mu\\]; w 0\\.items\\{\\} \\[\\(\\*guards\\.Registry\\)\\.mu\\]; r 0\\.items\\{\\} \\[\\(\\*guards\\.Registry\\)\\.mu\\]\\)"
	r.mu.RLock()
	defer r.mu.RUnlock()
	if _, ok := r.items[k]; !ok {
		r.items[k] = 0 // want `unsynchronized write to r.items: \(\*Registry\).Lookup writes it holding only the read lock r.mu`
	}
	return r.items[k]
}

func (r *Registry) Set(k string, v int) { // want Set:"accesses\\(r 0\\.items \\[\\(\\*guards\\.Registry\\)\\.mu\\]; w 0\\.items\\{\\} \\[\\(\\*guards\\.Registry\\)\\.mu\\]\\)"
	r.mu.Lock()
	r.items[k] = v
	r.mu.Unlock()
}

type Registry2 struct {
	mu    sync.RWMutex
	items map[string]int // want items:"guarded\\(mu\\)"
}

func (r *Registry2) Lookup(k string) int { // want Lookup:"accesses\\(r 0\\.items \\[\\(\\*guards\\.Registry2\\)\\.mu\\]; w 0\\.items\\{\\} \\[\\(\\*guards\\.Registry2\\)\\.mu\\]; r 0\\.items\\{\\} \\[\\(\\*guards\\.Registry2\\)\\.mu\\]\\)"
	r.mu.RLock()
	v, ok := r.items[k]
	r.mu.RUnlock()
	if ok {
		return v
	}
	r.mu.Lock()
	r.items[k] = 0
	r.mu.Unlock()
	return 0
}

// A mutex copied with a value receiver.
type Box struct {
	mu sync.Mutex
	v  int
}

func (b Box) Set(v int) {
	b.mu.Lock() // want `unsynchronized access through copied lock: \(Box\).Set locks b.mu in a copy of its receiver`
	b.v = v
	b.mu.Unlock()
}

func (b *Box) SetPtr(v int) { // want SetPtr:"accesses\\(w 0\\.v \\[\\(\\*guards\\.Box\\)\\.mu\\]\\)"
	b.mu.Lock()
	b.v = v
	b.mu.Unlock()
}

// gVisor checklocks annotations.
type Conn struct {
	mu sync.Mutex
	// +checklocks:mu
	state int
}

func (c *Conn) Close() { // want Close:"accesses\\(w 0\\.state\\)"
	c.state = 2 // want `unsynchronized write to c.state: \(\*Conn\).Close writes it without c.mu, which its \+checklocks annotation requires`
}

func (c *Conn) Open() { // want Open:"accesses\\(w 0\\.state \\[\\(\\*guards\\.Conn\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.state = 1
	c.mu.Unlock()
}

// +checklocks:c.mu
func (c *Conn) setLocked2(s int) { c.state = s }

// Globals guarded by a package mutex.
var (
	regMu sync.Mutex
	reg   = map[string]int{}
)

func Register(k string) { // want Register:"accesses\\(r g:sharedaccess/guards\\.reg \\[guards\\.regMu\\]; w g:sharedaccess/guards\\.reg\\{\\} \\[guards\\.regMu\\]; r g:sharedaccess/guards\\.reg\\{\\} \\[guards\\.regMu\\]\\)"
	regMu.Lock()
	reg[k]++
	regMu.Unlock()
}

func Registered(k string) int { // want Registered:"accesses\\(r g:sharedaccess/guards\\.reg; r g:sharedaccess/guards\\.reg\\{\\}\\)"
	return reg[k] // want `unsynchronized read of reg: Registered reads it without regMu, which Register writes holding it`
}
