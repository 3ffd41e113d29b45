package sched

import (
	"os"
	"sync"
	"syscall"
)

// Pipes is a set of pipes, each read by one goroutine that blocks until
// a byte arrives.
type Pipes struct {
	r, w []*os.File
	raw  bool
}

// NewPipes opens n pipes. With raw set, the readers use blocking read
// system calls on the pipe's descriptor, each of which keeps an OS
// thread waiting in the kernel; otherwise they read through os.File,
// which registers the descriptor with the runtime's network poller and
// parks only the goroutine.
func NewPipes(n int, raw bool) (*Pipes, error) {
	p := &Pipes{raw: raw}
	for range n {
		r, w, err := os.Pipe()
		if err != nil {
			p.Close()
			return nil, err
		}
		p.r, p.w = append(p.r, r), append(p.w, w)
	}
	if raw {
		for _, r := range p.r {
			// Fd puts the descriptor back in blocking mode.
			r.Fd()
		}
	}
	return p, nil
}

// Block starts one reader goroutine per pipe and returns a function
// that wakes them all (one byte each) and waits until they are done.
func (p *Pipes) Block() (wake func() error) {
	var wg sync.WaitGroup
	for _, r := range p.r {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b [1]byte
			if !p.raw {
				r.Read(b[:])
				return
			}
			for {
				if _, err := syscall.Read(int(r.Fd()), b[:]); err != syscall.EINTR {
					return
				}
			}
		}()
	}
	return func() error {
		for _, w := range p.w {
			if _, err := w.Write([]byte{1}); err != nil {
				return err
			}
		}
		wg.Wait()
		return nil
	}
}

// Close closes every pipe.
func (p *Pipes) Close() {
	for _, f := range append(p.r, p.w...) {
		f.Close()
	}
}
