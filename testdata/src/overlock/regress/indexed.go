package regress

import "sync"

// A lock inside a slice element, chosen by a variable index: the same
// index value names the same element, so the Unlock releases the lock
// the Lock took, and the Wait after it runs with nothing held.
type ixConnect struct {
	g   sync.WaitGroup
	err error
}

type ixSlot struct {
	mu sync.Mutex
	sc *ixConnect
}

type ixMux struct {
	slots []ixSlot
	byKey map[string]*ixSlot
}

func (m *ixMux) pipe(i uint16) error {
	m.slots[i].mu.Lock()
	sc := m.slots[i].sc
	if m.slots[i].sc == nil {
		m.slots[i].sc = &ixConnect{}
		m.slots[i].sc.g.Add(1)
	}
	m.slots[i].mu.Unlock()
	if sc != nil {
		sc.g.Wait()
		return sc.err
	}
	return nil
}

func (m *ixMux) lookup(k string) error {
	m.byKey[k].mu.Lock()
	sc := m.byKey[k].sc
	m.byKey[k].mu.Unlock()
	if sc != nil {
		sc.g.Wait()
		return sc.err
	}
	return nil
}

// Bad twin: the Unlock is of another element (index j), so slot i's
// lock is still held across the Wait.
func (m *ixMux) pipeOther(i, j uint16) error {
	m.slots[i].mu.Lock()
	sc := m.slots[i].sc
	m.slots[j].mu.Unlock()
	if sc != nil {
		sc.g.Wait() // want `m.slots\[…\].mu held across blocking call to sc.g.Wait`
		return sc.err
	}
	return nil
}
