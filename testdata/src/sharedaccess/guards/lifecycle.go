package guards

import "sync"

// A cluster whose members and version its mutex guards.
type Cluster struct {
	mu      sync.Mutex
	version int             // want version:"guarded\\(mu\\)"
	members map[string]int  // want members:"guarded\\(mu\\)"
	removed map[string]bool // want removed:"guarded\\(mu\\)"
}

func (c *Cluster) SetVersion(v int) { // want SetVersion:"accesses\\(w 0\\.version \\[\\(\\*guards\\.Cluster\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.version = v
	c.mu.Unlock()
}

func (c *Cluster) Bump() { // want Bump:"accesses\\(r 0\\.members \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.members\\{\\} \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; r 0\\.members\\{\\} \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; r 0\\.removed \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.removed\\{\\} \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.version \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; r 0\\.version \\[\\(\\*guards\\.Cluster\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.version++
	c.members["bump"]++
	c.removed["x"] = true
	c.mu.Unlock()
}

func (c *Cluster) AddMember(id string) { // want AddMember:"accesses\\(r 0\\.members \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.members\\{\\} \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; r 0\\.removed \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.removed\\{\\} \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; r 0\\.version \\[\\(\\*guards\\.Cluster\\)\\.mu\\]\\)"
	c.mu.Lock()
	c.members[id] = c.version
	delete(c.removed, id)
	c.mu.Unlock()
}

func (c *Cluster) RemoveMember(id string) { // want RemoveMember:"accesses\\(r 0\\.members \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.members\\{\\} \\[\\(\\*guards\\.Cluster\\)\\.mu\\]; w 0\\.removed \\[\\(\\*guards\\.Cluster\\)\\.mu\\]\\)"
	c.mu.Lock()
	delete(c.members, id)
	c.removed = map[string]bool{id: true}
	c.mu.Unlock()
}

// UnsafeLoad does no locking of its own, as its name says: its callers
// hold the lock or own the cluster.
func (c *Cluster) UnsafeLoad(v int, m map[string]int) { // want UnsafeLoad:"accesses\\(w 0\\.members; w 0\\.removed; w 0\\.version\\)"
	c.version = v
	c.members = m
	c.removed = map[string]bool{}
}

// Load is the same without the convention: one function skipping the
// lock of three fields is one finding.
func (c *Cluster) Load(v int, m map[string]int) { // want Load:"accesses\\(w 0\\.members; w 0\\.removed; w 0\\.version\\)"
	c.version = v // want `unsynchronized write to c.version: \(\*Cluster\).Load writes it without c.mu, which \(\*Cluster\).SetVersion writes holding it \(and c.members and c.removed, under the same lock\)`
	c.members = m
	c.removed = map[string]bool{}
}

// Start makes the maps before the cluster is used.
func (c *Cluster) Start() { // want Start:"accesses\\(w 0\\.members; w 0\\.removed\\)"
	c.members = map[string]int{}
	c.removed = map[string]bool{}
}

// Reset makes them again while the cluster may be in use.
func (c *Cluster) Reset() { // want Reset:"accesses\\(w 0\\.members; w 0\\.removed\\)"
	c.members = map[string]int{} // want `unsynchronized write to c.members: \(\*Cluster\).Reset writes it without c.mu, which \(\*Cluster\).Bump writes holding it \(and c.removed, under the same lock\)`
	c.removed = map[string]bool{}
}
