package dynamic // want package:`edges\(.*\)`

// Lock orders made through calls without a static callee: an interface
// that one type of the package implements, and callbacks stored in
// struct fields or passed as arguments.

import "sync"

// Sink is implemented by *Buffer only.
type Sink interface {
	Put(v int)
}

type Buffer struct {
	mu    sync.Mutex
	items []int
	onPut func()
}

func (b *Buffer) Put(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items = append(b.items, v)
	if b.onPut != nil {
		b.onPut() // want `lock order inversion: Feeder.mu acquired while holding Buffer.mu \(via \(\*dynamic.Feeder\).count\); \(\*Feeder\).Feed acquires them in the other order`
	}
}

func (b *Buffer) OnPut(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onPut = f
}

type Feeder struct {
	mu   sync.Mutex
	sink Sink
	n    int
}

// BAD: Feeder.mu then Buffer.mu through the interface; Buffer.mu then
// Feeder.mu through the callback that Wire installs.
func (f *Feeder) Feed() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sink.Put(f.n)
}

func (f *Feeder) count() {
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
}

func Wire(b *Buffer, f *Feeder) {
	f.sink = b
	b.OnPut(f.count)
}

// A second pair with the same shapes in a consistent order.

type Store interface {
	Save(v int)
}

type Disk struct {
	mu sync.Mutex
	n  int
}

func (d *Disk) Save(v int) {
	d.mu.Lock()
	d.n = v
	d.mu.Unlock()
}

type Cache struct {
	mu    sync.Mutex
	store Store
	hook  func(int)
}

// GOOD: Cache.mu before Disk.mu, here and in the hook.
func (c *Cache) Flush(v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store.Save(v)
	if c.hook != nil {
		c.hook(v)
	}
}

func NewCache(d *Disk) *Cache {
	c := &Cache{store: d}
	c.hook = d.Save
	return c
}

// Pool runs the callback it is given while holding its lock.
type Pool struct {
	mu sync.Mutex
}

func (p *Pool) Each(visit func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	visit() // want `lock order inversion: Registry.mu acquired while holding Pool.mu \(via \(\*dynamic.Registry\).Scan.func1\)`
}

type Registry struct {
	mu   sync.Mutex
	pool *Pool
}

// BAD: Registry.mu then Pool.mu here; Pool.mu then Registry.mu in the
// callback that Scan hands to Each.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pool.Each(func() {})
}

func (r *Registry) Scan() {
	r.pool.Each(func() {
		r.mu.Lock()
		r.mu.Unlock()
	})
}

// GOOD: a callback that takes no lock.
type Queue struct {
	mu sync.Mutex
}

func (q *Queue) Drain(done func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	done()
}

type Worker struct {
	mu sync.Mutex
	q  *Queue
	n  int
}

func (w *Worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.q.Drain(func() { w.n = 0 })
}
