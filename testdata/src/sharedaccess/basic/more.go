package basic

import (
	"sync"
	"sync/atomic"
)

// A plain read racing with an atomic store.
func badMixedAtomic() uint64 {
	var a uint64
	c := make(chan bool)
	go func() {
		atomic.StoreUint64(&a, 1) // want `unsynchronized write to a: the goroutine running badMixedAtomic\.func1 writes a, which badMixedAtomic reads after the go statement`
		c <- true
	}()
	v := a
	<-c
	return v
}

func goodBothAtomic() uint64 {
	var a uint64
	go func() {
		atomic.StoreUint64(&a, 1)
	}()
	return atomic.LoadUint64(&a)
}

// append copies the elements another goroutine writes.
func badAppendCopy() {
	c := make(chan bool, 1)
	s := make([]int, 10)
	go func() {
		_ = append(s, 1) // want `unsynchronized read of s: the goroutine running badAppendCopy\.func1 reads s, which badAppendCopy writes after the go statement`
		c <- true
	}()
	s[0] = 42
	<-c
}

// copy into elements the goroutine does not touch.
func goodCopyDisjoint() {
	ch := make(chan bool, 1)
	a := make([]int, 10)
	b := make([]int, 10)
	go func() {
		a[5] = 1
		ch <- true
	}()
	copy(a[:5], b[:5])
	<-ch
}

// A whole-struct write overlaps the goroutine's field write.
type pair struct{ x, y int }

func badWholeStruct() {
	c := make(chan bool, 1)
	var p pair
	go func() {
		p.x = 1 // want `unsynchronized write to p\.x: the goroutine running badWholeStruct\.func1 writes p\.x, which badWholeStruct writes after the go statement`
		c <- true
	}()
	p = pair{}
	<-c
}

// A field behind a pointer is not part of the struct holding the pointer.
type holder struct{ p *pair }

func goodPointerField() {
	c := make(chan bool, 1)
	h := holder{&pair{}}
	go func() {
		h.p.x = 1
		c <- true
	}()
	_ = h
	<-c
}

// len of a map reads it.
func badMapLen() {
	m := map[string]bool{}
	ch := make(chan bool, 1)
	go func() {
		_ = len(m) // want `unsynchronized read of m: the goroutine running badMapLen\.func1 reads m, which badMapLen writes after the go statement`
		ch <- true
	}()
	m[""] = true
	<-ch
}

// A mutex locked by the spawner and unlocked by the goroutine hands the
// memory over (doc/go_mem.html).
func goodMutexHandoff() string {
	var l sync.Mutex
	a := ""
	l.Lock()
	go func() {
		a = "hello, world"
		l.Unlock()
	}()
	l.Lock()
	return a
}

// On a buffered channel the goroutine's send does not wait for the
// spawner's receive.
func badBufferedRev() int {
	v := 0
	c := make(chan int, 10)
	go func() {
		c <- 0
		v = 1 // want `unsynchronized write to v: the goroutine running badBufferedRev\.func1 writes v, which badBufferedRev writes after the go statement`
	}()
	v = 2
	<-c
	return v
}

// string(s) reads the bytes the spawner writes.
func badByteString() {
	c := make(chan string)
	s := make([]byte, 10)
	go func() {
		c <- string(s) // want `unsynchronized read of s: the goroutine running badByteString\.func1 reads s, which badByteString writes after the go statement`
	}()
	s[0] = 42
	<-c
}

// A switch on an int is not a nil check: the writes race.
func badSwitchWrite() {
	var x, y int
	ch := make(chan int, 2)
	go func() {
		y = x // want `unsynchronized read of x: the goroutine running badSwitchWrite\.func1 reads x, which the goroutine running badSwitchWrite\.func2 writes`
		ch <- 1
	}()
	go func() {
		switch {
		default:
			x = 1
		case x == 100:
			x = -x
		}
		ch <- 1
	}()
	<-ch
	<-ch
	_ = y
}

// Lazy initialisation behind an unsynchronized nil check, from many
// goroutines.
type fetcher struct{ sess *int }

func (f *fetcher) session() *int {
	if f.sess == nil {
		f.sess = new(int) // want `unsynchronized write to f\.sess: goroutines running fetchAll\.func1 may run at once and each writes f\.sess`
	}
	return f.sess
}

func fetchAll(f *fetcher, keys []string) {
	var wg sync.WaitGroup
	for range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = f.session()
		}()
	}
	wg.Wait()
}
