package cbconn // want package:`edges\(\) callback\(cbconn.Conn.OnStateChange under \(\*cbconn.Conn\).mu\)`

import "sync"

type State int

// Conn calls its OnStateChange callback with its own lock held.
type Conn struct {
	mu            sync.Mutex
	state         State
	OnStateChange func(*Conn, State)
}

func (c *Conn) SetState(s State) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state = s
	if c.OnStateChange != nil {
		c.OnStateChange(c, s)
	}
}

func (c *Conn) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}
