package races

import (
	"sync"
	"sync/atomic"
)

// session is an expensive resource created on first use.
type session struct{ id int64 }

var sessions atomic.Int64

func newSession() *session { return &session{id: sessions.Add(1)} }

// BadFetcher creates its session lazily behind an unsynchronized nil
// check. FetchAll asks for the session from concurrent goroutines:
// several see nil, each creates a session, and the writes race.
type BadFetcher struct {
	sess *session
}

func (f *BadFetcher) session() *session {
	if f.sess == nil {
		f.sess = newSession() // race: BadFetcher
	}
	return f.sess
}

// FetchAll fetches every key in its own goroutine and returns the id of
// the session each fetch used.
func (f *BadFetcher) FetchAll(keys []string) []int64 {
	ids := make([]int64, len(keys))
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = f.session().id
		}()
	}
	wg.Wait()
	return ids
}

// GoodFetcherOnce creates its session exactly once with sync.Once,
// which also publishes it safely to every caller.
type GoodFetcherOnce struct {
	once sync.Once
	sess *session
}

func (f *GoodFetcherOnce) session() *session {
	f.once.Do(func() { f.sess = newSession() })
	return f.sess
}

// FetchAll fetches every key in its own goroutine and returns the id of
// the session each fetch used.
func (f *GoodFetcherOnce) FetchAll(keys []string) []int64 {
	ids := make([]int64, len(keys))
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = f.session().id
		}()
	}
	wg.Wait()
	return ids
}
