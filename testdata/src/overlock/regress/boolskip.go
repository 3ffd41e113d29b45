package regress

import "sync"

// A helper that waits for the background writer only when asked to
// (sync=true). Called with a constant false under the lock, the wait is
// skipped; with true, it blocks with the lock held.

type journal struct {
	mu      sync.Mutex
	pending []string
	flushed chan struct{}
	wg      sync.WaitGroup
}

func (j *journal) push(s string, sync bool) {
	j.pending = append(j.pending, s)
	if sync {
		<-j.flushed
	}
}

func (j *journal) pushLater(s string, async bool) {
	j.pending = append(j.pending, s)
	if !async {
		j.wg.Wait()
	}
}

// Through a second helper that passes its own flag on.
func (j *journal) record(s string, sync bool) {
	j.push(s, sync)
}

func (j *journal) Append(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.push(s, false)
	j.record(s, false)
	j.pushLater(s, true)
}

func (j *journal) AppendSync(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.push(s, true) // want `j.mu held across blocking receive from j.flushed \(via \(\*journal\).push\) \(and 1 more critical section`
}

func (j *journal) AppendWait(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pushLater(s, false) // want `j.mu held across blocking call to j.wg.Wait \(via \(\*journal\).pushLater\)`
}

func (j *journal) RecordSync(s string, flag bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.record(s, flag) // reported once, at AppendSync's push: the same receive
}

// The flag captured by a deferred function literal lives in a cell: the
// test of the cell's one value decides as the parameter's would.
func (j *journal) pushLogged(s string, sync bool) (err error) {
	defer func() {
		if err != nil && sync {
			j.pending = nil
		}
	}()
	j.pending = append(j.pending, s)
	if sync {
		<-j.flushed
	}
	return nil
}

func (j *journal) AppendLogged(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pushLogged(s, false)
}

func (j *journal) AppendLoggedSync(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pushLogged(s, true) // want `j.mu held across blocking receive from j.flushed \(via \(\*journal\).pushLogged\)`
}
