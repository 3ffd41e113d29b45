package regress

import "sync"

// run takes the timer branch only when asked: a goroutine started with
// run(false) never writes timerMode.
type flusher struct {
	mu        sync.Mutex
	timerMode bool
	pending   int
}

func (w *flusher) run(useTimer bool) {
	if useTimer {
		w.mu.Lock()
		w.timerMode = true // want `unsynchronized write to w\.timerMode: the goroutine running \(\*flusher\)\.run writes w\.timerMode, which startTimer reads after the go statement`
		w.mu.Unlock()
		return
	}
	w.mu.Lock()
	w.pending = 0
	w.mu.Unlock()
}

func startPlain(w *flusher) bool {
	go w.run(false)
	return w.timerMode
}

func startTimer(w *flusher) bool {
	go w.run(true)
	return w.timerMode
}

// writeFrame records the payload only when there is one: close frames
// sent with a nil payload never write lastPayload.
type frameWriter struct {
	mu          sync.Mutex
	lastPayload []byte
	frames      int // want frames:`guarded\(mu\)`
}

func (w *frameWriter) writeFrame(payload []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.frames++
	if payload != nil {
		w.lastPayload = payload
	}
}

func sendClose(w *frameWriter) int {
	go w.writeFrame(nil)
	return len(w.lastPayload)
}
