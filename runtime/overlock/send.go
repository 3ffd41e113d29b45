package overlock

import "sync"

// BadBroker delivers each message to every subscriber while holding
// mu: one slow subscriber blocks Publish with the lock held, and with
// it every Subscribe and every other Publish.
type BadBroker struct {
	mu   sync.Mutex
	subs []chan string
}

// Subscribe returns a new channel that receives every message.
func (b *BadBroker) Subscribe() <-chan string {
	ch := make(chan string)
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	return ch
}

// Publish sends msg to every subscriber.
func (b *BadBroker) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		ch <- msg
	}
}

// GoodBroker copies the subscriber list under mu and sends after
// releasing it.
type GoodBroker struct {
	mu   sync.Mutex
	subs []chan string
}

// Subscribe returns a new channel that receives every message.
func (b *GoodBroker) Subscribe() <-chan string {
	ch := make(chan string)
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	return ch
}

// Publish sends msg to every subscriber.
func (b *GoodBroker) Publish(msg string) {
	b.mu.Lock()
	subs := append([]chan string(nil), b.subs...)
	b.mu.Unlock()
	for _, ch := range subs {
		ch <- msg
	}
}
