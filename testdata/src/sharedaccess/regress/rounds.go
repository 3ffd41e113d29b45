package regress

import (
	"errors"
	"sync"
	"time"
)

var errTimeout = errors.New("timeout")

// ---- A goroutine that reads a tuning field each round and reports
// the round's result; the spawner retunes the field after each report.
// The report orders this round's read before the write, not the next
// round's read.
type Pump struct {
	batch int
	stats chan int
	done  chan struct{}
}

func (p *Pump) run(total int) {
	defer close(p.done)
	for total > 0 {
		n := p.batch // want `unsynchronized read of p\.batch: the goroutine running \(\*Pump\)\.run reads p\.batch, which Pump1 writes after the go statement`
		total -= n
		p.stats <- n
	}
}

func Pump1(total int) {
	p := &Pump{batch: 8, stats: make(chan int), done: make(chan struct{})}
	go p.run(total)
	for {
		select {
		case n := <-p.stats:
			if n > 4 {
				p.batch = n / 2
			}
		case <-p.done:
			return
		}
	}
}

// The same pump waits for the spawner's go-ahead before each round:
// the write comes before the next read.
type Stepper struct {
	batch int
	stats chan int
	ack   chan struct{}
	done  chan struct{}
}

func (s *Stepper) run(total int) {
	defer close(s.done)
	for total > 0 {
		n := s.batch
		total -= n
		s.stats <- n
		<-s.ack
	}
}

func Step(total int) {
	s := &Stepper{batch: 8, stats: make(chan int), ack: make(chan struct{}), done: make(chan struct{})}
	go s.run(total)
	for {
		select {
		case n := <-s.stats:
			if n > 4 {
				s.batch = n / 2
			}
			s.ack <- struct{}{}
		case <-s.done:
			return
		}
	}
}

// The pump's last act before it closes done is its last read; the
// spawner writes the field only once done is closed.
type Drain struct {
	batch int
	done  chan struct{}
}

func (d *Drain) run() {
	defer close(d.done)
	for i := 0; i < 3; i++ {
		_ = d.batch
	}
}

func DrainOnce() {
	d := &Drain{batch: 1, done: make(chan struct{})}
	go d.run()
	select {
	case <-d.done:
		d.batch = 0
	}
}

// A producer that records each message, then hands it to a publisher
// goroutine that counts down a WaitGroup: Wait waits for every round's
// Done, so every round's append comes before the read.
func PublishAll(n int, publish func(int)) []int {
	var sent []int
	var wg sync.WaitGroup
	wg.Add(n)
	go func() {
		for i := 0; i < n; i++ {
			sent = append(sent, i)
			go func() {
				publish(i)
				wg.Done()
			}()
		}
	}()
	wg.Wait()
	return sent
}

// The same producer reports each round on a channel instead; the reader
// stops after the first report, while later rounds go on appending.
func PublishFirst(n int) int {
	var sent []int
	ch := make(chan int, n)
	go func() {
		for i := 0; i < n; i++ {
			sent = append(sent, i) // want `unsynchronized write to sent: the goroutine running PublishFirst\.func1 writes sent, which PublishFirst reads after the go statement`
			ch <- i
		}
	}()
	<-ch
	return len(sent)
}

// ---- A read with a timeout into named results: on the timeout path
// the return writes n and err while the reader goroutine may still be
// writing them. One statement, two variables: one finding.
type slowReader interface{ Read(p []byte) (int, error) }

func ReadTimeout(r slowReader, p []byte, d time.Duration) (n int, err error) { // want ReadTimeout:`accesses\(r g:sharedaccess/regress\.errTimeout\)`
	done := make(chan struct{})
	go func() {
		defer close(done)
		n, err = r.Read(p) // want `unsynchronized write to n: the goroutine running ReadTimeout\.func1 writes n, which ReadTimeout writes after the go statement \(and err, in the same statements\)`
	}()
	select {
	case <-done:
		return n, err
	case <-time.After(d):
		return 0, errTimeout
	}
}

// The same read, but the timeout path returns fresh values: the named
// results are written only by the goroutine, and read after done.
func ReadTimeoutFresh(r slowReader, p []byte, d time.Duration) (int, error) { // want ReadTimeoutFresh:`accesses\(r g:sharedaccess/regress\.errTimeout\)`
	var n int
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		n, err = r.Read(p)
	}()
	select {
	case <-done:
		return n, err
	case <-time.After(d):
		return 0, errTimeout
	}
}
