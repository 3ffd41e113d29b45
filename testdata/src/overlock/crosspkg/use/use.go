package use

import (
	"sync"

	"overlock/crosspkg/lib"
)

type Runner struct {
	mu sync.Mutex
	q  *lib.Queue
}

func (r *Runner) Bad() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.q.Fetch()() // want `r.mu held across blocking receive from q.work \(via \(\*lib.Queue\).Fetch → \(\*lib.Queue\).Get\)`
}

func (r *Runner) BadPause() {
	r.mu.Lock()
	lib.Pause() // want `r.mu held across blocking call to time.Sleep \(via lib.Pause\)`
	r.mu.Unlock()
}

func (r *Runner) Good() int { // ok: lib.Quick does not block
	r.mu.Lock()
	defer r.mu.Unlock()
	return lib.Quick()
}
