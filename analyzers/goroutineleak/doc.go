// Package goroutineleak reports goroutines that can block for ever: on a
// channel nobody serves, a WaitGroup nobody finishes, or a condition
// variable nobody signals.
//
// # Analyzer goroutineleak
//
// goroutineleak: report goroutines that can block for ever
//
// A goroutine blocked on a channel that nobody will ever receive from,
// send on or close is never collected: its stack and everything it
// references stay alive, and in a server the leak grows with every
// request. Go's goroutineleak profile finds such goroutines at run time,
// on the paths a run took; this check finds them before any test runs.
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
// The same holds when each worker sends its one outcome on one of two
// unbuffered channels (a result or an error) and the starter takes the
// first from either, with a select over both, and returns: one finding,
// at the channel made first, names both.
//
// A function that time.AfterFunc runs when its timer fires is such a
// goroutine too: Stop does not stop a callback that has already started,
// so a callback that sends on an unbuffered channel its starter stops
// receiving from (a select that returned on another case) blocks for
// ever.
//
// A ctx.Done() case counts only when the context can end: a goroutine
// handed context.Background() or context.TODO() (a detached context)
// selects on a nil channel, and its send is reported as if the case
// were not there.
//
// The other shapes it reports, each with the design that avoids it:
//
//   - A producer that sends in a loop while its starter leaves the loop
//     that ranges over the channel (a return on the first error, a
//     ctx.Done case) or takes a fixed number of values, or leaves a
//     loop that never waits for the close on another receive case of
//     its select (a generator that runs for ever, a consumer that
//     returns on ctx.Done). Safe: drain to the close, or let the
//     producer select on a done channel. A pool of workers started in a
//     loop, each sending a result per job, counts as one producer.
//   - The same when the consumer is not the starter but a goroutine it
//     starts beside the producer (two errgroup members, or two go
//     statements outside loops, with the starter neither sending nor
//     receiving): the consumer returns on its first error, the producer
//     blocks in its next send, and a Wait on the group blocks with it.
//     Safe: the producer selects on ctx.Done(), which errgroup cancels
//     when a member fails, or the consumer drains to the close.
//   - A receive from, or range over, a channel that the starter may
//     return without sending on or closing. Safe: defer close(ch).
//   - The starter's own receive from, or range over, a channel that its
//     goroutine can return without sending on or closing (an early
//     return on error before the send; a close skipped by a return in
//     the producer's loop), or never sends on or closes at all (a method
//     started with go w.watch(done) that ignores done): the starter
//     blocks for ever. Also a select whose every case receives from a
//     channel the starter handed to that one goroutine, when it can
//     return without serving any of them (a loader that returns on one
//     error without reporting it). Safe: send the error too, or defer
//     close(ch).
//   - A plain receive from an unexported channel field that nothing
//     sends on and that only one goroutine body closes, when that
//     goroutine can return without closing it (a serve loop that
//     returns on a bind error before close(s.done)): the Close that
//     waits for it blocks for ever. Safe: defer close(s.done) first.
//   - A range over the channel that a function returns, when the
//     goroutine filling it can return without closing it (it never
//     closes it, or closes it only at io.EOF and returns on other
//     errors). Safe: defer close(out) in the goroutine.
//   - A goroutine that returns without wg.Done (Done not deferred) while
//     its starter waits, and a wg.Wait inside the loop that starts the
//     goroutines on a count added for all of them before the loop.
//     Safe: defer wg.Done() first thing; Wait after the loop.
//   - A goroutine whose method defers Done on its receiver's WaitGroup
//     and calls, directly or through methods it hands the receiver to,
//     Wait on that same WaitGroup (a worker that calls Stop on a fatal
//     error, where Stop waits for every worker): the Wait counts the
//     goroutine's own Done, which runs only after it returns. Safe: the
//     worker closes the stop channel and returns; its owner waits.
//   - A Wait before the starter receives what its goroutines send on an
//     unbuffered channel (WaitGroup with Done after the send, or
//     WaitGroup.Go and errgroup members, which count down when they
//     return): each goroutine blocks in its send and the starter in the
//     Wait. Safe: receive first, or Wait in a goroutine that then closes
//     the channel.
//   - Goroutines started by a loop bounded by constants (for i := 0;
//     i < 3; i++, for range 3), each sending once on a channel, when
//     their starter receives fewer values, on its longest path and
//     outside loops, than there are senders beyond the buffer's room;
//     the same for goroutines started by go statements of their own on
//     every path before the receives (two backends asked, the first
//     reply taken). Safe: receive once per goroutine, a buffer for the
//     rest, or senders that select on a done channel.
//   - A Wait on a local WaitGroup whose constant Adds, all made before
//     it on every path, count more than the goroutines started (each
//     go statement counted, once per run of a loop bounded by
//     constants) that call Done; and one added len(items)
//     before a loop that can go on to the next item (a continue)
//     without starting the goroutine that calls Done, or calling Done
//     itself.
//   - A goroutine that a constructor of T (or a method of *T) starts
//     and that can never return (an endless loop, a range over a
//     ticker's channel, which is never closed, or over a channel field
//     that only holds channels made here and that no code closes: a
//     Close that only sets a flag), when T has a Close,
//     Stop or Shutdown method: that method cannot end it, and every
//     value closed leaks one (category unstoppable). A type with no
//     such method runs its goroutine for ever by design and is left
//     alone. Safe: select on a done channel that Close closes.
//   - A Cond.Wait on a condition variable (an unexported field or
//     package variable) that no code of the package signals or
//     broadcasts; and a store of true to a boolean field that a Wait
//     loop waits for (for !q.closed { q.cond.Wait() }) by a Close, Stop
//     or Shutdown method that neither signals nor broadcasts (a Close
//     that forgets the Broadcast). Safe: Broadcast after setting the
//     flag.
//   - A send, receive or range on a channel that is always nil (a
//     variable never made, also as a goroutine's function literal
//     captures it; an unexported field no code assigns), and a
//     select whose every case is on one. select {} is left alone. Also a
//     send or receive on a local channel variable that one branch makes
//     and another leaves nil, when every path from the declaration
//     reaches the operation and nothing compares the variable with nil
//     (var done chan struct{}; if async { done = make(...); go ... };
//     <-done). And a select (or receive) in a loop that nothing leaves,
//     whose every case receives from a channel the loop sets to nil
//     when it closes (if !ok { a = nil; continue }): once every input
//     has closed, it waits on nil channels for ever, and a deferred
//     close(out) never runs. Safe: for a != nil || b != nil, a return
//     when the last input closes, or a case the loop never turns off
//     (ctx.Done()).
//   - A send on or receive from an unbuffered channel that its function
//     made and has not shared with anyone on the way to the operation.
//   - A plain send on an unexported channel field that the package makes
//     unbuffered and never receives from, and a plain receive from one
//     that the package never sends on or closes: no other package can
//     reach the field. A field whose channel goes anywhere else, or is
//     tested for nil (a test's hook), is left alone. Receives through a
//     getter that returns the field receive-only count as receives.
//     A buffered field that nothing receives from blocks its sends once
//     the buffer fills: reported when a send is in a loop or outside
//     the functions that make the channel (which may run any number of
//     times after them), not for sends that only set the buffer up.
//   - A goroutine started with a context from context.WithCancel
//     (WithTimeout, WithDeadline) that waits on its Done with a plain
//     receive, when the cancel function goes into an unexported field
//     that no code calls (only compared with nil, or never read): vet's
//     lostcancel, for a cancel kept in a field. A cancel read for
//     anything else (called, deferred, passed on) counts as called.
//   - A plain send on an unexported, unbuffered channel field whose only
//     receives are cases of a select in the loop of a goroutine the
//     package starts, when another case of that select (a stop channel,
//     ctx.Done()) returns from the goroutine: a send after the stop
//     blocks for ever. Sends in exported functions and methods are left
//     alone (calling Status after Close is the caller's contract), as
//     are sends made only under a test of the object's lifecycle flag
//     (if c.running). Safe: select on the stop or done channel too, or
//     close done only in the sender, after its last send (also when one
//     go statement starts one of several such senders, picked by a
//     switch, and when the send sits in a helper that only the closer
//     calls).
//   - A call that drops the channel a function returns when a goroutine
//     the function started sends on it (the PendingSend fact).
//   - The drain if !t.Stop() { <-t.C } when the same function also
//     receives from t.C (an event loop's timer case) and a path leads
//     from that receive to the drain without a Reset (here, or in a
//     function literal the loop calls): once the value has
//     been taken, Stop returns false and the drain waits for ever. A
//     drain in a select with default is left alone.
//
// Channels are followed into the functions they are passed to: those of
// the package directly, those of other packages through their ChanUse
// facts (which parameters they send on, receive from, close, in a loop,
// until closed, or in a select). A channel that goes anywhere else
// (stored in a field, sent as a value, passed to an interface method)
// is given up: unknown code may receive or close it. Not reported:
// sends and receives in a select with another case or a default (the
// sender that gives up on ctx.Done()), buffers with room for every
// send, a goroutine that sends once on each of several paths and a
// starter that receives from whichever it sent on, loops that count
// their receives, paths that fail a test or end the program.
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
