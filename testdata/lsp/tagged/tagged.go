//go:build integration

// Package tagged is built only with the integration tag: syncvet lsp
// analyses it when its settings name the tag.
package tagged

import "sync"

func Touch(mu *sync.Mutex) {
	mu.Lock()
	mu.Unlock()
}
