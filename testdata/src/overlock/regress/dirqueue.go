package regress

import (
	"log"
	"os"
	"path/filepath"
	"sync"
)

// A queue kept as files in its directory: mu makes each operation on
// the directory atomic with the others. Holding it across the file
// system calls on q.dir is what it is for.
type dirQueue struct {
	mu  sync.Mutex
	dir string
}

func (q *dirQueue) Push(name string, data []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return os.WriteFile(filepath.Join(q.dir, name), data, 0o600)
}

func (q *dirQueue) Pop() ([]byte, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	ents, err := os.ReadDir(q.dir)
	if err != nil || len(ents) == 0 {
		return nil, err
	}
	p := q.dir + "/" + ents[0].Name()
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return data, os.Remove(p)
}

// A cache that guards memory with mu and writes a file that is not its
// own under it: every reader of the map waits for the disk.
type snapshotCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *snapshotCache) Save(path string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b []byte
	for k, v := range c.m {
		b = append(b, k+"="+v+"\n"...)
	}
	return os.WriteFile(path, b, 0o600) // want `c\.mu held across blocking call to os\.WriteFile`
}

func (c *snapshotCache) Set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
}

func (c *snapshotCache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

// A queue of files in a directory the package names by a constant: its
// lock guards no memory at all, only the order of the file operations.
const spoolDir = "./spool"

type spool struct {
	mu   sync.Mutex
	name string
}

func (s *spool) Put(id string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	log.Printf("%s: put %s", s.name, id)
	return os.WriteFile(spoolDir+"/"+id, data, 0o600)
}

func (s *spool) Len() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ents, err := os.ReadDir(spoolDir)
	return len(ents), err
}
