package regress

import "sync"

type leaveMsg struct {
	node  string
	prune bool
}

type cluster struct {
	mu      sync.Mutex
	members map[string]int
}

// prune erases the node later, on a goroutine of its own.
func (c *cluster) prune(node string) {
	go func() {
		c.members[node] = 0 // want `unsynchronized write to c\.members: the goroutine running \(\*cluster\)\.prune\.func1 writes c\.members, which leaveAndPrune reads after calling \(\*cluster\)\.handleLeave`
	}()
}

func (c *cluster) handleLeave(m *leaveMsg) {
	if m.prune {
		c.prune(m.node)
	}
}

// GOOD: the message leaves prune false, so handleLeave starts nothing.
func leaveOnly(c *cluster) int {
	m := leaveMsg{node: "a"}
	c.handleLeave(&m)
	return c.members["a"]
}

// BAD: the message asks for the prune.
func leaveAndPrune(c *cluster) int {
	m := leaveMsg{node: "a", prune: true}
	c.handleLeave(&m)
	return c.members["a"]
}
