package leaks

import (
	"strings"
	"sync"
)

// Index counts the words of the documents added to it; it is safe for
// concurrent use.
type Index struct {
	mu    sync.Mutex
	words map[string]int
	docs  int
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{words: make(map[string]int)} }

// Add counts the words of doc.
func (x *Index) Add(doc string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, w := range strings.Fields(doc) {
		x.words[w]++
	}
	x.docs++
}

// Docs returns the number of documents added.
func (x *Index) Docs() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.docs
}

// BadIndexAll hands the documents to an indexing goroutine over docs
// and returns once the last one is handed over. It never closes docs,
// so the goroutine's range loop never ends: once the documents run
// out, it waits for ever for the next one.
func BadIndexAll(x *Index, all []string) {
	docs := make(chan string)
	go func() {
		for doc := range docs {
			x.Add(doc)
		}
	}()
	for _, doc := range all {
		docs <- doc
	}
}

// GoodIndexAll closes docs on its way out, with a defer so that no
// return can skip it: the range loop ends after the last document.
func GoodIndexAll(x *Index, all []string) {
	docs := make(chan string)
	defer close(docs)
	go func() {
		for doc := range docs {
			x.Add(doc)
		}
	}()
	for _, doc := range all {
		docs <- doc
	}
}
