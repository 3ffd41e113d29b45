package recall

import "sync"

// A loop over all elements touches the element the goroutine writes.
func badScan() int {
	vals := make([]int, 8)
	done := make(chan bool, 1)
	go func() {
		vals[3] = 7 // want `unsynchronized write to vals\[3\]: the goroutine running badScan\.func1 writes vals\[3\], which badScan reads after the go statement`
		done <- true
	}()
	sum := 0
	for _, v := range vals {
		sum += v
	}
	<-done
	return sum
}

func goodScanAfter() int {
	vals := make([]int, 8)
	done := make(chan bool, 1)
	go func() {
		vals[3] = 7
		done <- true
	}()
	<-done
	sum := 0
	for _, v := range vals {
		sum += v
	}
	return sum
}

type counter struct{ hits int }

// Every worker walks the whole list and bumps every counter.
func badWorkersScan(cs []*counter) {
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < len(cs); i++ {
				cs[i].hits++ // want `unsynchronized write to cs\[\.\.\.\]\.hits: goroutines running badWorkersScan\.func1 may run at once and each writes cs\[\.\.\.\]\.hits`
			}
		}()
	}
	wg.Wait()
}

// One goroutine per element: a partition.
func goodPerElement(cs []*counter) {
	var wg sync.WaitGroup
	for i := range cs {
		wg.Add(1)
		go func(c *counter) {
			defer wg.Done()
			c.hits++
		}(cs[i])
	}
	wg.Wait()
}

// Workers split the list by a stride they are handed.
func goodWorkersSplit(cs []*counter) {
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(lo int) {
			defer wg.Done()
			for i := lo; i < len(cs); i += 4 {
				cs[i].hits++
			}
		}(w)
	}
	wg.Wait()
}
