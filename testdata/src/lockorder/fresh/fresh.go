package fresh // want package:`edges\(\(\*fresh.Config\).mu->\(\*fresh.Client\).mu, \(\*fresh.Mirror\).mu->\(\*fresh.Config\).mu, \(\*fresh.Config\).mu->\(\*fresh.Mirror\).mu, \(\*fresh.Registry\).mu->\(\*fresh.Stream\).mu, \(\*fresh.Stream\).mu->\(\*fresh.Registry\).mu\)`

import "sync"

// ---- A copy made under the source's lock, its own lock taken while it
// is still the function's alone (vault's CloneConfig): nobody else can
// hold it, so there is no order to invert.

type Config struct {
	mu   sync.Mutex
	addr string
}

// newConfig returns a new config, its fields set under its own lock.
func newConfig() *Config {
	c := &Config{}
	c.load()
	return c
}

func (c *Config) load() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addr = "localhost"
}

type Client struct {
	mu     sync.Mutex
	config *Config
	copies int
}

func (cl *Client) CloneConfig() *Config { // ok: the copy is fresh in newConfig and here
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.copies++
	c := newConfig()
	c.mu.Lock()
	c.addr = cl.config.addr
	c.mu.Unlock()
	return c
}

// SetAddr takes the two locks the other way round, on shared objects.
func (cl *Client) SetAddr(addr string) {
	cl.config.mu.Lock()
	defer cl.config.mu.Unlock()
	cl.mu.Lock()
	cl.copies = 0
	cl.mu.Unlock()
	cl.config.addr = addr
}

// ---- The same locks taken in order on a shared config: an inversion.

type Mirror struct {
	mu     sync.Mutex
	config *Config
	syncs  int
}

func (m *Mirror) Sync() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.syncs++
	m.config.mu.Lock() // want `lock order inversion: Config.mu acquired while holding Mirror.mu; \(\*Mirror\).Reset acquires them in the other order`
	m.config.addr = ""
	m.config.mu.Unlock()
}

func (m *Mirror) Reset() {
	m.config.mu.Lock()
	defer m.config.mu.Unlock()
	m.mu.Lock()
	m.syncs = 0
	m.mu.Unlock()
}

// ---- A fresh object that points to a shared one: the lock reached
// through it is the shared object's (nats-server's new consumer and its
// stream).

type Stream struct {
	mu   sync.Mutex
	msgs int
}

type consumer struct {
	mu     sync.Mutex
	stream *Stream
}

func newConsumer(streams map[string]*Stream, name string) *consumer {
	return &consumer{stream: streams[name]}
}

func (c *consumer) count() int {
	c.stream.mu.Lock()
	defer c.stream.mu.Unlock()
	return c.stream.msgs
}

type Registry struct {
	mu      sync.Mutex
	count   int
	streams map[string]*Stream
}

func (r *Registry) Add(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := newConsumer(r.streams, name)
	r.count += c.count() // want `lock order inversion: Stream.mu acquired while holding Registry.mu \(via \(\*fresh.consumer\).count\); \(\*Registry\).Purge acquires them in the other order`
}

func (r *Registry) Purge(s *Stream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.mu.Lock()
	r.count = 0
	r.mu.Unlock()
	s.msgs = 0
}
