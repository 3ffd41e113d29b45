package races

import (
	"strings"
	"sync"
)

// BadWordCount counts the words of lines with one goroutine per line,
// all writing one map. Concurrent map writes race (and, when they
// overlap, the runtime aborts with "concurrent map writes").
func BadWordCount(lines []string) map[string]int {
	counts := make(map[string]int)
	var wg sync.WaitGroup
	for _, line := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(line) {
				counts[w]++ // race: BadWordCount
			}
		}()
	}
	wg.Wait()
	return counts
}

// GoodWordCountMutex guards the shared map with a mutex.
func GoodWordCountMutex(lines []string) map[string]int {
	var mu sync.Mutex
	counts := make(map[string]int)
	var wg sync.WaitGroup
	for _, line := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(line) {
				mu.Lock()
				counts[w]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return counts
}

// GoodWordCountShards gives each goroutine its own map and merges the
// maps after Wait.
func GoodWordCountShards(lines []string) map[string]int {
	shards := make([]map[string]int, len(lines))
	var wg sync.WaitGroup
	for i, line := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make(map[string]int)
			for _, w := range strings.Fields(line) {
				local[w]++
			}
			shards[i] = local
		}()
	}
	wg.Wait()
	counts := make(map[string]int)
	for _, shard := range shards {
		for w, n := range shard {
			counts[w] += n
		}
	}
	return counts
}

// GoodWordCountOwner splits the roles: the line goroutines only send
// words, and the calling goroutine, the map's one owner, counts them.
func GoodWordCountOwner(lines []string) map[string]int {
	words := make(chan string)
	var wg sync.WaitGroup
	for _, line := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(line) {
				words <- w
			}
		}()
	}
	go func() {
		wg.Wait()
		close(words)
	}()
	counts := make(map[string]int)
	for w := range words {
		counts[w]++
	}
	return counts
}
