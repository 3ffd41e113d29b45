package recall

import "sync"

// A channel with room for two holders is a counting semaphore: two
// goroutines can be between their send and receive at once.
func badSemaphore() int {
	slots := make(chan struct{}, 2)
	done := make(chan struct{})
	total := 0
	go func() {
		slots <- struct{}{}
		total += 2 // want `unsynchronized write to total: the goroutine running badSemaphore\.func1 writes total, which badSemaphore writes after the go statement`
		<-slots
		close(done)
	}()
	slots <- struct{}{}
	total += 3
	<-slots
	<-done
	return total
}

// Room for one holder: the channel is a mutex.
func goodChanMutex() int {
	slots := make(chan struct{}, 1)
	done := make(chan struct{})
	total := 0
	go func() {
		slots <- struct{}{}
		total += 2
		<-slots
		close(done)
	}()
	slots <- struct{}{}
	total += 3
	<-slots
	<-done
	return total
}

// Filling every slot of a semaphore waits for every holder to leave.
func goodDrainSemaphore(n int) []int {
	slots := make(chan struct{}, 4)
	out := make([]int, n)
	for i := 0; i < n; i++ {
		slots <- struct{}{}
		go func(i int) {
			out[i] = i * i
			<-slots
		}(i)
	}
	for i := 0; i < cap(slots); i++ {
		slots <- struct{}{}
	}
	sum := 0
	for i := range out {
		sum += out[i]
	}
	_ = sum
	return out
}

// Releasing the semaphore does not wait for the others.
func badSemaphoreNoDrain(n int) int {
	slots := make(chan struct{}, 4)
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		slots <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out[i] = i * i // want `unsynchronized write to out\[\.\.\.\]: the goroutine running badSemaphoreNoDrain\.func1 writes out\[\.\.\.\], which badSemaphoreNoDrain reads after the go statement`
			<-slots
		}(i)
	}
	sum := 0
	for i := range out {
		sum += out[i]
	}
	wg.Wait()
	return sum
}

// The buffer is full when the spawner sends again: the send waits for
// the goroutine's receive.
func goodFullBuffer() int {
	x := 0
	slots := make(chan struct{}, 1)
	slots <- struct{}{}
	go func() {
		x++
		<-slots
	}()
	slots <- struct{}{}
	x++
	return x
}

func badRoomInBuffer() int {
	x := 0
	slots := make(chan struct{}, 2)
	slots <- struct{}{}
	go func() {
		x++ // want `unsynchronized write to x: the goroutine running badRoomInBuffer\.func1 writes x, which badRoomInBuffer writes after the go statement`
		<-slots
	}()
	slots <- struct{}{}
	x++
	return x
}
