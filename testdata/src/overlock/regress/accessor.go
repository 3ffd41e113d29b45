package regress

import (
	"sync"
	"time"
)

// An accessor that always returns one package variable: the Unlock
// through it ends the section the Lock through it began. Clean.

type regBox struct {
	mu    sync.Mutex
	items map[string]int
}

var theRegistry = regBox{items: map[string]int{}}

func registryOf() *regBox { return &theRegistry }

func (r *regBox) slowLoad() { time.Sleep(time.Millisecond) }

func resetRegistry() {
	registryOf().mu.Lock()
	registryOf().items = map[string]int{"a": 1}
	registryOf().mu.Unlock()
	registryOf().slowLoad()
}

// The sleep before the Unlock is held across.
func reloadRegistry() {
	registryOf().mu.Lock()
	registryOf().items = map[string]int{}
	registryOf().slowLoad() // want `theRegistry.mu held across blocking call to time.Sleep`
	registryOf().mu.Unlock()
}
