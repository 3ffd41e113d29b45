// Package user imports the package that does not type-check.
package user

import (
	"sync"

	"example.com/broken/bad"
)

var mu sync.Mutex

// Hold locks mu and bad.Mu, and leaves mu locked on one path.
func Hold(ok bool) {
	mu.Lock()
	if !ok {
		return
	}
	bad.Mu.Lock()
	bad.Mu.Unlock()
	mu.Unlock()
}
