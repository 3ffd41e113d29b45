package dynamic

import "sync"

// Subscribers kept in a map or slice field and notified under the hub's
// lock: each is of one concrete type, whose method takes its own lock.

type Notifier interface{ Notify(ev string) }

type Hub struct {
	mu   sync.Mutex
	subs map[Notifier]bool
}

func NewHub() *Hub { return &Hub{subs: map[Notifier]bool{}} }

// Publish notifies holding h.mu: Hub.mu, then Sub.mu.
func (h *Hub) Publish(ev string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.Notify(ev) // want `lock order inversion: Sub.mu acquired while holding Hub.mu \(via \(\*dynamic.Sub\).Notify\); \(\*Sub\).Close acquires them in the other order`
	}
}

func (h *Hub) Subscribe(s *Sub) {
	h.mu.Lock()
	h.subs[s] = true
	h.mu.Unlock()
	s.hub = h
}

func (h *Hub) Unsubscribe(s Notifier) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

type Sub struct {
	mu     sync.Mutex
	hub    *Hub
	events []string
}

func (s *Sub) Notify(ev string) {
	s.mu.Lock()
	s.events = append(s.events, ev)
	s.mu.Unlock()
}

// Close holds s.mu and leaves the hub: Sub.mu, then Hub.mu.
func (s *Sub) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = nil
	s.hub.Unsubscribe(s)
}

// The same with the subscribers in a slice.
type Board struct {
	mu   sync.Mutex
	list []Poster
	n    int
}

type Poster interface{ Post(ev string) }

// Broadcast walks the slice holding b.mu: Board.mu, then Pin.mu.
func (b *Board) Broadcast(ev string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.list {
		p.Post(ev) // want `lock order inversion: Pin.mu acquired while holding Board.mu \(via \(\*dynamic.Pin\).Post\); \(\*Pin\).Detach acquires them in the other order`
	}
}

func (b *Board) Attach(p *Pin) {
	b.mu.Lock()
	b.list = append(b.list, p)
	b.mu.Unlock()
	p.board = b
}

func (b *Board) count() {
	b.mu.Lock()
	b.n--
	b.mu.Unlock()
}

type Pin struct {
	mu    sync.Mutex
	board *Board
	seen  int
}

func (p *Pin) Post(string) {
	p.mu.Lock()
	p.seen++
	p.mu.Unlock()
}

// Detach holds p.mu and counts on the board: Pin.mu, then Board.mu.
func (p *Pin) Detach() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.board.count()
}

// A good twin: the hub notifies a snapshot after releasing its lock.
type SafeHub struct {
	mu   sync.Mutex
	subs map[Notifier]bool
}

func (h *SafeHub) Publish(ev string) {
	h.mu.Lock()
	subs := make([]Notifier, 0, len(h.subs))
	for s := range h.subs {
		subs = append(subs, s)
	}
	h.mu.Unlock()
	for _, s := range subs {
		s.Notify(ev)
	}
}

func (h *SafeHub) Subscribe(s *SafeSub) {
	h.mu.Lock()
	h.subs[s] = true
	h.mu.Unlock()
	s.hub = h
}

func (h *SafeHub) Unsubscribe(s Notifier) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

type SafeSub struct {
	mu     sync.Mutex
	hub    *SafeHub
	events []string
}

func (s *SafeSub) Notify(ev string) {
	s.mu.Lock()
	s.events = append(s.events, ev)
	s.mu.Unlock()
}

func (s *SafeSub) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = nil
	s.hub.Unsubscribe(s)
}
