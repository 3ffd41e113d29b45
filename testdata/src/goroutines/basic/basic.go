package basic

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
)

type S struct{ n int }

func (s *S) run() { s.n++ }

func worker(i int) {}

func literal() {
	go func() {}() // want `spawn go literal\$1`
}

func named() {
	go worker(1) // want `spawn go worker`
}

func methodValue(s *S) {
	go s.run() // want `spawn go run reach\(run\)`
}

func boundClosure(s *S) {
	f := s.run
	go f() // want `spawn go run\$bound reach\(run\$bound,run\)`
}

func loop(n int) {
	for i := 0; i < n; i++ {
		go worker(i) // want `spawn go worker many`
	}
}

func waitGroup(n int) {
	var wg sync.WaitGroup
	wg.Go(func() {}) // want `spawn waitgroup waitGroup\$1`
	wg.Wait()
}

func group() error {
	var g errgroup.Group
	g.Go(func() error { return nil })    // want `spawn errgroup group\$1`
	g.TryGo(func() error { return nil }) // want `spawn errgroup group\$2`
	return g.Wait()
}

func afterFunc() {
	time.AfterFunc(time.Second, func() {}) // want `spawn afterfunc afterFunc\$1`
}

func contextAfterFunc(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() {}) // want `spawn afterfunc contextAfterFunc\$1`
	stop()
}

func TestSub(t *testing.T) {
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) { // want `spawn parallel-test TestSub\$1 many`
			t.Parallel()
		})
	}
	t.Run("serial", func(t *testing.T) {}) // not concurrent
}

func Start(f func()) {
	go f() // want `spawn go \?`
}

func StartLater(d int, f func()) {
	Start(f) // want `spawn callback \?`
}

func callback() {
	StartLater(1, func() {}) // want `spawn callback callback\$1`
}

func NoSpawn(f func()) { f() } // no fact

func handler(w http.ResponseWriter, r *http.Request) {} // want `spawn handler handler many`

func register() {
	http.HandleFunc("/", handler) // want `spawn handler handler many`
}

type H struct{}

func (H) ServeHTTP(w http.ResponseWriter, r *http.Request) {} // want `spawn handler ServeHTTP many`

func events(c chan int, wg *sync.WaitGroup, once *sync.Once) {
	c <- 1             // want `event send`
	<-c                // want `event recv`
	close(c)           // want `event close`
	wg.Done()          // want `event done`
	wg.Wait()          // want `event wait`
	once.Do(func() {}) // want `event once`
}
