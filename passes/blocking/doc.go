// Package blocking computes, for every function and instruction of a
// package, whether it may block the calling goroutine and why.
//
// A function's answer travels to other packages as a [Summary] fact on
// fn.Origin(), so generic instantiations share it and a caller two
// imports away sees a blocking receive deep inside a library. The
// package's [Result] answers per instruction ([Result.Op]) and per
// function ([Result.Summary], which also consults imported facts and a
// built-in table of standard-library behaviour, because some drivers
// never analyse the standard library). Calls into other standard-library
// packages are judged by that table alone (see [IsStd]).
//
// # What blocks
//
//   - a channel send, unless the code shows the buffer has room: the
//     channel is made in the same function with a constant buffer, every
//     use of it is visible, no send sits in a loop, and there are no
//     more send sites than buffer slots; or it is the first send after
//     storing a fresh buffered make into the field it is loaded from; or
//     the send is immediately followed by closing the same field channel,
//     all of whose makes in the package are buffered; or every make
//     stored into the (unexported) field has a constant buffer of at
//     least 1024 (an unexported package variable set only by its
//     declaration counts as a constant); or it goes to a reply channel
//     or past a once-flag (below); or it gives back a token of a
//     counting semaphore: a field that the package receives from and
//     fills to its capacity in a counting loop where it makes it (for
//     i := 0; i < n; i++ { p.ch <- struct{}{} } after make(chan T, n)).
//     A channel whose capacity is a
//     variable may block. A send outside loops on a channel whose every
//     make has a constant buffer, none filled to capacity before it is
//     stored, with no more sends on it in the function than slots, is
//     marked Buffered: it waits only while the reader lags, and whether
//     that reader needs a lock the sender holds is for the consumer to
//     judge. On a channel field it is summarised (last in preference,
//     with the field named in Summary.Buffered); on any other channel
//     it stays out of the function's Summary;
//   - a channel receive, including range over a channel and <-ctx.Done(),
//     unless it gives back the token of a channel used as a mutex (a
//     field made with a buffer of one that some function of the package
//     sends on and then receives from, the value dropped), or a
//     closed-flag shows the channel closed (below), or the
//     channel is made in the same function, used only there, and the
//     sends that run before the receive on every path outnumber the
//     other receives that may run before it;
//   - a select without default (a select with default never blocks);
//   - time.Sleep, sync.WaitGroup.Wait, errgroup.Group.Wait,
//     semaphore.Weighted.Acquire, os/exec and os.Process waits;
//   - sync.Cond.Wait, with its own [Kind] CondWait: it releases the
//     lock it waits under, so consumers must not treat it as blocking
//     while holding that lock;
//   - file and network I/O: os.File reads and writes, net connections,
//     accepts, dials and lookups (not net.Listen, which binds and
//     returns), net/http round trips and servers,
//     database/sql queries, crypto/tls handshakes, and io.Copy,
//     io.ReadAll and friends when an endpoint is a file, a connection or
//     an HTTP body (but not os.Stdin, os.Stdout or os.Stderr: a mutex
//     around console output serialises lines by design);
//   - a static call to any function whose summary says it may block,
//     transitively, within the package and across packages.
//
// A call that passes a nil constant for the parameter the callee blocks
// on is not counted (the callee checks for nil).
//
// Not blocking: close, calls through function values that are not
// statically known (context cancel functions among them), go and defer
// statements at the point they appear, TryLock, sync.Mutex.Lock (lock
// waits are lockorder's business, not this pass's), and every standard
// call the table does not list.
//
// # Channels that receive one value
//
// Three protocols bound the sends on a buffered channel without a count
// of send sites (see oneshot.go):
//
//   - reply channels: every channel of the element type that the
//     package makes has a constant buffer of one or more, is made by a
//     function that never sends on it, hands it only to fresh objects,
//     maps and functions of the package, and waits on it (receives, or
//     returns it receive-only), and never crosses the package boundary
//     with its send side (exported signatures, fields, variables and
//     interfaces;
//     for a send outside _test.go files, channels made in the package's
//     tests do not count). A send on such a channel cannot block when
//     the channel came from a call that removes its holder from a
//     container (a map delete, a slice field shrunk in place), or from a
//     map entry the sending function deletes: the request was taken out
//     of the pending set, so it is answered once (database/sql's
//     connRequests, internal/singleflight's calls). Channels are told
//     apart by element type only;
//   - once-flag sends: the send on a field channel, all of whose makes
//     are buffered, runs only after if x.flag { return }; x.flag = true
//     (or if !x.flag { x.flag = true; ... }) under a lock held through
//     the send, the package never clears the flag, every other send on
//     the field is guarded the same way or follows a fresh make where
//     the flag is set, and the channel leaves field loads only
//     receive-only (net/http's closeNotify);
//   - closed-flag receives: a receive from a field channel, filled only
//     when its object is made, that runs only where x.flag is set, under
//     a lock held since the test, when every function that sets the flag
//     also closes that channel under one lock and nothing clears the
//     flag (net/http's wantConn.cancel).
//
// # Interface calls
//
// A dynamic call through an interface blocks only when the interface
// itself denotes I/O: net.Conn, net.Listener, net.PacketConn and
// http.RoundTripper. An io.Writer or io.Reader may well be a
// bytes.Buffer, so calls through them are not counted: precision comes
// before recall.
//
// # Chains
//
// When a function blocks only through calls, its Summary records the
// shortest chain of calls that reaches a blocking operation, preferring
// an operation other than Cond.Wait and one not preceded by a release
// of a lock the caller might hold; ties go to the first in source order.
package blocking
