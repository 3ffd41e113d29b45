// Package goroutineleak reports goroutines that can block for ever on a
// channel that the function which started them stops serving.
//
// # Analyzer goroutineleak
//
// goroutineleak: report goroutines that can block for ever on a channel
//
// A goroutine blocked on a channel that nobody will ever receive from,
// send on or close is never collected: its stack and everything it
// references stay alive, and in a server the leak grows with every
// request. Go's goroutineleak profile finds such goroutines at run time;
// this check finds the ones whose channel is made by the function that
// starts them, before any test runs.
//
//	// BAD: on ctx.Done() nobody receives, and the send blocks for ever
//	func Fetch(ctx context.Context, url string) (string, error) {
//		ch := make(chan string)
//		go func() { ch <- get(url) }()
//		select {
//		case s := <-ch:
//			return s, nil
//		case <-ctx.Done():
//			return "", ctx.Err()
//		}
//	}
//
//	// GOOD: a buffer of one holds the only send
//	ch := make(chan string, 1)
//
//	// BAD: the first error returns while the other workers still send
//	ch := make(chan result)
//	for _, w := range work {
//		go func() { ch <- do(w) }()
//	}
//	for range work {
//		if r := <-ch; r.err != nil {
//			return r.err
//		}
//	}
//
//	// GOOD: a buffer sized to the sends, make(chan result, len(work)),
//	// or senders that select on ctx.Done() or a done channel.
//
// It also reports a goroutine that receives from, or ranges over, a
// channel that its starter may return without sending on or closing.
//
// Only channels made in the function that starts the goroutine and used
// nowhere else (not stored, returned or passed to other calls) are
// checked, so that every send, receive and close is in view. Not
// reported: sends and receives in a select with another case or a
// default, buffers with room for every send, channels handed to other
// functions.
package goroutineleak

import (
	_ "embed"

	"github.com/syncvet/syncvet/internal/analyzerdoc"
)

//go:embed doc.go
var doc string

// Doc is the analyzer's documentation: the "Analyzer goroutineleak" section of
// the package comment above, whose first line is the title.
var Doc = analyzerdoc.MustExtract(doc, "goroutineleak")
