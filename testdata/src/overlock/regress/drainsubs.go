package regress

import "sync"

// Subscribers each get a channel with room for one value, handed out
// receive-only; every publisher empties a subscriber's channel without
// waiting and sends the latest value, all under subMu: no send can find
// the buffer full. Clean.

type publisher struct {
	subMu sync.Mutex
	subs  map[int]chan string
	next  int
}

func (p *publisher) subscribe(initial string) <-chan string {
	ch := make(chan string, 1)
	ch <- initial
	p.subMu.Lock()
	defer p.subMu.Unlock()
	p.subs[p.next] = ch
	p.next++
	return ch
}

func (p *publisher) unsubscribe(id int) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	if ch, ok := p.subs[id]; ok {
		close(ch)
		delete(p.subs, id)
	}
}

func (p *publisher) publish(v string) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	for _, c := range p.subs {
		select {
		case <-c:
		default:
		}
		c <- v
	}
}

// The same with one publisher that does not drain first: its send waits
// for a slow subscriber while the lock is held, and it may refill a
// buffer the other publisher has just drained.

type lazyPublisher struct {
	subMu sync.Mutex
	subs  map[int]chan string
	next  int
}

func (p *lazyPublisher) subscribe() <-chan string {
	ch := make(chan string, 1)
	p.subMu.Lock()
	defer p.subMu.Unlock()
	p.subs[p.next] = ch
	p.next++
	return ch
}

func (p *lazyPublisher) publish(v string) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	for _, c := range p.subs {
		select {
		case <-c:
		default:
		}
		c <- v // want `p.subMu held across blocking send on c`
	}
}

func (p *lazyPublisher) publishNoDrain(v string) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	for _, c := range p.subs {
		c <- v // want `p.subMu held across blocking send on c`
	}
}

// Channels handed out with their send side: their holders may fill
// them behind the publisher's back.

type openPublisher struct {
	subMu sync.Mutex
	subs  map[int]chan string
	next  int
}

func (p *openPublisher) subscribe() chan string {
	ch := make(chan string, 1)
	p.subMu.Lock()
	defer p.subMu.Unlock()
	p.subs[p.next] = ch
	p.next++
	return ch
}

func (p *openPublisher) publish(v string) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	for _, c := range p.subs {
		select {
		case <-c:
		default:
		}
		c <- v // want `p.subMu held across blocking send on c`
	}
}
