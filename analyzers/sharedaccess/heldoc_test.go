package sharedaccess

import "testing"

func TestMentionsHeld(t *testing.T) {
	held := []string{
		"Lock should be held.",
		"c.mu must be held when calling this.",
		"Caller must hold mu.",
		"Must be called with s.mu locked.",
		"Should be called with lock held.",
		"Called with the lock held.",
		"called with mb.mu held",
		"Assumes the lock is held.",
		"mu is held by the caller",
		"The mutex is held on entry.",
	}
	for _, doc := range held {
		if !mentionsHeld(doc) {
			t.Errorf("mentionsHeld(%q) = false, want true", doc)
		}
	}
	notHeld := []string{
		"Lock takes the lock.",
		"Close releases the held resources.",
		"Run holds the connection open until ctx is done.",
		"It must be called with a valid context.",
		"The lock is taken inside.",
	}
	for _, doc := range notHeld {
		if mentionsHeld(doc) {
			t.Errorf("mentionsHeld(%q) = true, want false", doc)
		}
	}
}
