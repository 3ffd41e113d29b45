package regress

import "sync"

// Goroutines started, and waited for, only in one branch: every path
// from the go statement to the read after the branches join passes the
// Wait. Clean. The twins wait on only some of those paths.

func bjLoad(id int) int { return id * 2 }

func branchJoin(cached bool, ids []int, prev []int) int {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got []int
	)
	if cached {
		got = prev
	} else {
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := bjLoad(id)
				mu.Lock()
				got = append(got, v)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	return len(got)
}

// One goroutine, joined by a receive in its branch.
func branchJoinRecv(fast bool, id int) int {
	var got int
	if fast {
		got = id
	} else {
		done := make(chan struct{})
		go func() {
			got = bjLoad(id)
			close(done)
		}()
		<-done
	}
	return got
}

// Started before the branch, waited for in only one of them.
func branchJoinHalf(cached bool, ids []int) int {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got []int
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := bjLoad(id)
			mu.Lock()
			got = append(got, v) // want `unsynchronized write to got: the goroutine running branchJoinHalf.func1 writes got, which branchJoinHalf reads after the go statement`
			mu.Unlock()
		}()
	}
	if !cached {
		wg.Wait()
	}
	return len(got)
}

// Waited for only when the caller asks for it.
func branchJoinMaybe(cached, wait bool, ids []int) int {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got []int
	)
	if !cached {
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := bjLoad(id)
				mu.Lock()
				got = append(got, v) // want `unsynchronized write to got: the goroutine running branchJoinMaybe.func1 writes got, which branchJoinMaybe reads after the go statement`
				mu.Unlock()
			}()
		}
		if wait {
			wg.Wait()
		}
	}
	return len(got)
}
