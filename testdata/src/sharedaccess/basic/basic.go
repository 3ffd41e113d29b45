package basic

import (
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

func work() error { return nil }

// Captured err written by the goroutine, read by the spawner.
func badErr() error {
	var err error
	go func() {
		err = work() // want `unsynchronized write to err: the goroutine running badErr\.func1 writes err, which badErr reads after the go statement`
	}()
	return err
}

func goodErr() error {
	var err error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err = work()
	}()
	wg.Wait()
	return err
}

// Named result.
func badNamed() (n int) {
	go func() {
		n = 1 // want `unsynchronized write to n: the goroutine running badNamed\.func1 writes n, which badNamed reads after the go statement`
	}()
	return
}

func goodNamedChan() (n int) {
	done := make(chan struct{})
	go func() {
		n = 1
		close(done)
	}()
	<-done
	return
}

// Counter incremented by many goroutines.
func badCounter(n int) int {
	count := 0
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count++ // want `unsynchronized write to count: goroutines running badCounter\.func1 may run at once and each writes count`
		}()
	}
	wg.Wait()
	return count
}

func goodCounterMutex(n int) int {
	count := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			count++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return count
}

func goodCounterAtomic(n int) int64 {
	var count int64
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&count, 1)
		}()
	}
	wg.Wait()
	return atomic.LoadInt64(&count)
}

// Partitioned results: each goroutine its own element.
func goodPartition(xs []int) []int {
	res := make([]int, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func(i, x int) {
			defer wg.Done()
			res[i] = x * 2
		}(i, x)
	}
	wg.Wait()
	return res
}

// Append to a shared slice.
func badAppend(xs []int) []int {
	var out []int
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out = append(out, x) // want `unsynchronized write to out: goroutines running badAppend\.func1 may run at once and each writes out`
		}()
	}
	wg.Wait()
	return out
}

func goodAppendChan(xs []int) []int {
	ch := make(chan int)
	for _, x := range xs {
		go func() { ch <- x }()
	}
	var out []int
	for range xs {
		out = append(out, <-ch)
	}
	return out
}

// Concurrent map writes.
func badMap(keys []string) map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m[k] = len(k) // want `unsynchronized write to m: goroutines running badMap\.func1 may run at once and each writes m`
		}()
	}
	wg.Wait()
	return m
}

func goodSyncMap(keys []string) *sync.Map {
	var m sync.Map
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Store(k, len(k))
		}()
	}
	wg.Wait()
	return &m
}

// Map read while the goroutine writes.
func badMapRead(m map[string]int) int {
	go func() {
		m["a"] = 1 // want `unsynchronized write to m: the goroutine running badMapRead\.func1 writes m, which badMapRead reads after the go statement`
	}()
	return m["b"]
}

func goodMapBefore(m map[string]int) {
	m["a"] = 1
	go func() {
		_ = m["a"]
	}()
}

// Struct field through a pointer.
type Stats struct{ hits int }

func badField(s *Stats) {
	go func() {
		s.hits++ // want `unsynchronized write to s\.hits: the goroutine running badField\.func1 writes s\.hits, which badField writes after the go statement`
	}()
	s.hits = 0
}

func goodFieldHandoff(s *Stats) {
	ch := make(chan *Stats)
	go func() {
		p := <-ch
		p.hits++
	}()
	ch <- s
}

// errgroup results read after Wait.
func goodErrgroup(xs []int) ([]int, error) {
	var g errgroup.Group
	res := make([]int, len(xs))
	for i, x := range xs {
		g.Go(func() error {
			res[i] = x
			return nil
		})
	}
	err := g.Wait()
	return res, err
}

func badErrgroup(xs []int) (int, error) {
	var g errgroup.Group
	total := 0
	for _, x := range xs {
		g.Go(func() error {
			total += x // want `unsynchronized write to total: goroutines running badErrgroup\.func1 may run at once and each writes total`
			return nil
		})
	}
	err := g.Wait()
	return total, err
}

// Global variable.
var config map[string]string

func badGlobal() {
	go func() {
		config = map[string]string{} // want `unsynchronized write to config: the goroutine running badGlobal\.func1 writes config, which badGlobal reads after the go statement`
	}()
	_ = config["x"]
}

// Once.Do orders the initialisation.
var once sync.Once
var table []int

func goodOnce() {
	for i := 0; i < 3; i++ {
		go func() {
			once.Do(func() { table = []int{1} })
			_ = table
		}()
	}
}

// Channel semaphore used as a mutex.
func goodSemaphore(n int) int {
	sem := make(chan struct{}, 1)
	x := 0
	done := make(chan bool)
	for i := 0; i < n; i++ {
		go func() {
			sem <- struct{}{}
			x++
			<-sem
			done <- true
		}()
	}
	for i := 0; i < n; i++ {
		<-done
	}
	return x
}

// Sibling goroutines.
func badSiblings() {
	x := 0
	done := make(chan bool, 2)
	go func() {
		x = 1 // want `unsynchronized write to x: the goroutine running badSiblings\.func1 writes x, which the goroutine running badSiblings\.func2 writes`
		done <- true
	}()
	go func() {
		x = 2
		done <- true
	}()
	<-done
	<-done
	_ = x
}

func goodPipeline() {
	x := 0
	c := make(chan bool)
	go func() {
		x = 1
		c <- true
	}()
	go func() {
		<-c
		_ = x
	}()
}

// Data built before the goroutine starts and only read.
func goodReadOnly(cfg map[string]int) {
	cfg["a"] = 1
	go func() {
		_ = cfg["a"]
	}()
	_ = cfg["b"]
}

func flushLabels(m map[string]int) int {
	n := 0
	for _, v := range m { // want `unsynchronized read of labels: the goroutine running flushLabels reads labels, which countLabel writes after the go statement`
		n += v
	}
	return n
}

// countLabel hands its map to a goroutine as an argument and goes on
// writing it.
func countLabel(ev string) {
	labels := map[string]int{}
	go flushLabels(labels)
	labels[ev]++
}

// countThenFlush hands the map over once it is done with it.
func countThenFlush(evs []string) {
	labels := map[string]int{}
	for _, ev := range evs {
		labels[ev]++
	}
	go flushLabels(labels)
}

// countJoined waits for the goroutine before it writes again.
func countJoined(ev string) {
	labels := map[string]int{"a": 1}
	done := make(chan struct{})
	go func(m map[string]int) {
		defer close(done)
		flushLabels(m)
	}(labels)
	<-done
	labels[ev]++
}
