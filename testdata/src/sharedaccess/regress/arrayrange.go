package regress

import "sync"

// A cache of segments in an array field, each with its lock in a
// parallel array. reset ranges over the segments' indexes: go/ssa loads
// the whole array for the range, but the loop reads nothing of it, so
// it races with no segment that set writes under that segment's lock.
type arSeg struct{ n int }

type arCache struct {
	locks [4]sync.Mutex
	segs  [4]arSeg
}

func (c *arCache) reset() {
	for i := range c.segs {
		c.locks[i].Lock()
		c.segs[i].n = 0
		c.locks[i].Unlock()
	}
}

func (c *arCache) set(i, v int) {
	c.locks[i].Lock()
	c.segs[i].n = v
	c.locks[i].Unlock()
}

func runARCache(c *arCache) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		for i := 0; i < 10; i++ {
			c.set(i%4, i)
		}
		wg.Done()
	}()
	go func() {
		for i := 0; i < 10; i++ {
			c.reset()
		}
		wg.Done()
	}()
	wg.Wait()
}
