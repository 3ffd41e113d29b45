// Package basic pairs each goroutine leak with a clean twin.
package basic

import (
	"context"
	"errors"
)

func get(url string) string { return url }

// badCtx: on ctx.Done() nobody receives and the send blocks for ever.
func badCtx(ctx context.Context, url string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- get(url) // want `goroutine leak: the send on ch blocks for ever when badCtx returns without receiving from it`
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// goodCtxBuffered: the buffer holds the only send.
func goodCtxBuffered(ctx context.Context, url string) (string, error) {
	ch := make(chan string, 1)
	go func() { ch <- get(url) }()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// goodSenderSelects: the sender gives up when the context ends.
func goodSenderSelects(ctx context.Context, url string) (string, error) {
	ch := make(chan string)
	go func() {
		select {
		case ch <- get(url):
		case <-ctx.Done():
		}
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func work() error { return nil }

// badEarlyReturn returns on a failed check before it waits.
func badEarlyReturn(check bool) error {
	errc := make(chan error)
	go func() {
		errc <- work() // want `goroutine leak: the send on errc blocks for ever when badEarlyReturn returns`
	}()
	if !check {
		return errors.New("check failed")
	}
	return <-errc
}

// goodWaits receives on every path.
func goodWaits(check bool) error {
	errc := make(chan error)
	go func() { errc <- work() }()
	err := <-errc
	if !check {
		return errors.New("check failed")
	}
	return err
}

type result struct {
	v   int
	err error
}

func process(w int) result { return result{v: w} }

// badFirstError is the Go 1.26 release notes' example: the first error
// returns while the other workers still send.
func badFirstError(ws []int) ([]int, error) {
	ch := make(chan result)
	for _, w := range ws {
		go func() {
			ch <- process(w) // want `goroutine leak: sends on ch from the goroutines started in a loop block for ever when badFirstError returns before receiving them all`
		}()
	}
	var out []int
	for range len(ws) {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.v)
	}
	return out, nil
}

// goodFirstErrorSized: a buffer sized to the sends.
func goodFirstErrorSized(ws []int) ([]int, error) {
	ch := make(chan result, len(ws))
	for _, w := range ws {
		go func() { ch <- process(w) }()
	}
	var out []int
	for range len(ws) {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.v)
	}
	return out, nil
}

// goodAllReceived collects every result before looking at errors.
func goodAllReceived(ws []int) ([]int, error) {
	ch := make(chan result)
	for _, w := range ws {
		go func() { ch <- process(w) }()
	}
	var out []int
	var err error
	for range len(ws) {
		r := <-ch
		if r.err != nil && err == nil {
			err = r.err
		}
		out = append(out, r.v)
	}
	return out, err
}

// badFirstResponse takes the fastest replica's answer; the others block.
func badFirstResponse(replicas []string) string {
	ch := make(chan string)
	for _, r := range replicas {
		go func() {
			ch <- get(r) // want `goroutine leak: sends on ch from the goroutines started in a loop block for ever`
		}()
	}
	return <-ch
}

// goodFirstResponse: room for every answer.
func goodFirstResponse(replicas []string) string {
	ch := make(chan string, len(replicas))
	for _, r := range replicas {
		go func() { ch <- get(r) }()
	}
	return <-ch
}

// badRangeNeverClosed: the consumer's range never ends.
func badRangeNeverClosed(items []int) {
	ch := make(chan int)
	go func() {
		for v := range ch { // want `goroutine leak: the range over ch never ends: badRangeNeverClosed never closes it`
			_ = v
		}
	}()
	for _, it := range items {
		ch <- it
	}
}

// goodRangeClosed closes when done.
func goodRangeClosed(items []int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	for _, it := range items {
		ch <- it
	}
	close(ch)
}

// badRangeEarlyReturn returns on a bad item before it closes.
func badRangeEarlyReturn(items []int) error {
	ch := make(chan int)
	go func() {
		for v := range ch { // want `goroutine leak: the range over ch never ends: badRangeEarlyReturn returns without closing it`
			_ = v
		}
	}()
	for _, it := range items {
		if it < 0 {
			return errors.New("negative")
		}
		ch <- it
	}
	close(ch)
	return nil
}

// goodRangeDeferClose closes on every return.
func goodRangeDeferClose(items []int) error {
	ch := make(chan int)
	defer close(ch)
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	for _, it := range items {
		if it < 0 {
			return errors.New("negative")
		}
		ch <- it
	}
	return nil
}

// badStartWait: the goroutine waits for a start signal that an early
// return never gives.
func badStartWait(ok bool) error {
	start := make(chan struct{})
	go func() {
		<-start // want `goroutine leak: the receive from start blocks for ever when badStartWait returns without sending on or closing it`
		_ = work()
	}()
	if !ok {
		return errors.New("not ok")
	}
	close(start)
	return nil
}

// goodStartWait signals on every path.
func goodStartWait(ok bool) error {
	start := make(chan struct{})
	go func() {
		<-start
		_ = work()
	}()
	close(start)
	if !ok {
		return errors.New("not ok")
	}
	return nil
}

// goodEscapes hands the channel to code this check cannot see.
func goodEscapes(ctx context.Context, sink func(chan string)) {
	ch := make(chan string)
	go func() { ch <- "x" }()
	sink(ch)
}

// goodFilledFirst: the value is buffered before the goroutine starts.
func goodFilledFirst() {
	c := make(chan int, 1)
	c <- 1
	go func() {
		<-c
	}()
}

// goodSelectSendsElsewhere: the select's other case sends on a channel
// nobody receives from, so it waits for ch; the check does not guess.
func goodSelectSendsElsewhere(out chan int) int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		return v
	case out <- 1:
		return 0
	}
}

// goodPerIteration starts one goroutine per test case and waits for it
// in the same iteration.
func goodPerIteration(cases []int) []int {
	var out []int
	for _, c := range cases {
		done := make(chan int)
		go func() { done <- c * 2 }()
		if c < 0 {
			out = append(out, -1)
		}
		out = append(out, <-done)
	}
	return out
}

// badPerIteration skips the receive with continue: that iteration's
// goroutine blocks for ever.
func badPerIteration(cases []int) []int {
	var out []int
	for _, c := range cases {
		done := make(chan int)
		go func() {
			done <- c * 2 // want `goroutine leak: the send on done blocks for ever when the iteration of badPerIteration's loop that started it ends without receiving from it`
		}()
		if c < 0 {
			continue
		}
		out = append(out, <-done)
	}
	return out
}

// badTwoPaths sends once on either path; on stop nobody receives.
func badTwoPaths(stop chan struct{}, ok bool) {
	done := make(chan bool)
	go func() {
		if ok {
			done <- false // want `goroutine leak: the send on done blocks for ever when badTwoPaths returns without receiving from it`
			return
		}
		done <- true
	}()
	select {
	case <-stop:
		return
	case <-done:
	}
}

// goodTwoPaths: the buffer holds the one value either path sends.
func goodTwoPaths(stop chan struct{}, ok bool) {
	done := make(chan bool, 1)
	go func() {
		if ok {
			done <- false
			return
		}
		done <- true
	}()
	select {
	case <-stop:
		return
	case <-done:
	}
}

// badResultOrErrTimeout: the goroutine sends on errc or on resc; on the
// timeout nobody receives either.
func badResultOrErrTimeout(timeout <-chan struct{}) (int, error) {
	resc := make(chan int)
	errc := make(chan error)
	go func() {
		if err := work(); err != nil {
			errc <- err // want `goroutine leak: the sends on errc and resc block for ever when badResultOrErrTimeout returns without receiving from them`
			return
		}
		resc <- 1
	}()
	select {
	case r := <-resc:
		return r, nil
	case err := <-errc:
		return 0, err
	case <-timeout:
		return 0, errors.New("timeout")
	}
}

// goodResultOrErr: the goroutine sends on errc or on resc, never both,
// and fn waits for either: receiving from one means the other is never
// sent on.
func goodResultOrErr() (int, error) {
	resc := make(chan int)
	errc := make(chan error)
	go func() {
		if err := work(); err != nil {
			errc <- err
			return
		}
		resc <- 1
	}()
	select {
	case r := <-resc:
		return r, nil
	case err := <-errc:
		return 0, err
	}
}

// badResultThenErr: the goroutine may send on both, so receiving the
// result does not release the error send.
func badResultThenErr() int {
	resc := make(chan int)
	errc := make(chan error)
	go func() {
		resc <- 1
		errc <- work() // want `goroutine leak: the send on errc blocks for ever when badResultThenErr returns without receiving from it`
	}()
	select {
	case r := <-resc:
		return r
	case <-errc:
		return 0
	}
}

type item struct{ err error }

// badConsumerStopsEarly returns at the first error while the producer
// still sends.
func badConsumerStopsEarly(items []int) error {
	results := make(chan item)
	go func() {
		defer close(results)
		for _, it := range items {
			results <- item{err: errors.New(string(rune(it)))} // want `goroutine leak: the send on results blocks for ever once badConsumerStopsEarly stops receiving: it can leave its receive loop before results is closed`
		}
	}()
	for r := range results {
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// goodConsumerDrains remembers the first error and reads on.
func goodConsumerDrains(items []int) error {
	results := make(chan item)
	go func() {
		defer close(results)
		for _, it := range items {
			results <- item{err: errors.New(string(rune(it)))}
		}
	}()
	var first error
	for r := range results {
		if r.err != nil && first == nil {
			first = r.err
		}
	}
	return first
}

// goodProducerSelects gives up when the consumer is gone.
func goodProducerSelects(ctx context.Context, items []int) error {
	results := make(chan item)
	go func() {
		defer close(results)
		for _, it := range items {
			select {
			case results <- item{err: errors.New(string(rune(it)))}:
			case <-ctx.Done():
				return
			}
		}
	}()
	for r := range results {
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// goodSizedBuffer has room for every item.
func goodSizedBuffer(items []int) error {
	results := make(chan item, len(items))
	go func() {
		defer close(results)
		for _, it := range items {
			results <- item{err: errors.New(string(rune(it)))}
		}
	}()
	for r := range results {
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// badConsumerCancelled stops on ctx.Done() while the producer sends on.
func badConsumerCancelled(ctx context.Context, items []int) int {
	out := make(chan int, 4)
	go func() {
		for _, it := range items {
			out <- it // want `goroutine leak: the send on out blocks for ever once badConsumerCancelled stops receiving`
		}
		close(out)
	}()
	n := 0
	for {
		select {
		case v, ok := <-out:
			if !ok {
				return n
			}
			n += v
		case <-ctx.Done():
			return n
		}
	}
}

// scatter sends every item on out, through a helper.
func scatter(ctx context.Context, out chan bool, n int) {
	for i := 0; i < n; i++ {
		out <- i != 0
	}
}

// badHelperProducer returns on ctx.Done() inside its range while the
// helper the goroutine calls still sends.
func badHelperProducer(ctx context.Context, n int) bool {
	ready := make(chan bool, 6)
	go func() {
		defer close(ready)
		scatter(ctx, ready, n) // want `goroutine leak: the send on ready blocks for ever once badHelperProducer stops receiving`
	}()
	for r := range ready {
		select {
		case <-ctx.Done():
			return r
		default:
		}
	}
	return true
}

// goodHelperDrained reads all the helper sends.
func goodHelperDrained(ctx context.Context, n int) bool {
	ready := make(chan bool, 6)
	go func() {
		defer close(ready)
		scatter(ctx, ready, n)
	}()
	last := true
	for r := range ready {
		last = r
	}
	return last
}

// badFirstOnly ranges over what a producer loop sends but returns with
// the first value.
func badFirstOnly(n int) int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i // want `goroutine leak: the send on ch blocks for ever once badFirstOnly stops receiving: its range over ch leaves after the first value while the goroutine sends in a loop`
		}
		close(ch)
	}()
	for v := range ch {
		return v
	}
	return -1
}

// goodFixedReceives takes as many values as the producer sends: a loop
// of three sends into a buffer of three, and three receives.
func goodFixedReceives() int {
	ch := make(chan int, 3)
	go func() {
		for i := range 3 {
			ch <- i
		}
	}()
	return <-ch + <-ch + <-ch
}

// goodFirstThenFinal: the loop sends once on the first pass and once on
// the way out; the starter receives both.
func goodFirstThenFinal(open func() error) error {
	ch := make(chan error, 1)
	go func() {
		defer close(ch)
		first := true
		for {
			if err := open(); err != nil {
				ch <- err
				return
			}
			if first {
				ch <- nil
				first = false
			}
		}
	}()
	if err := <-ch; err != nil {
		return err
	}
	return <-ch
}

// goodFirstThenCancel takes the first value and tells the producer to
// stop.
func goodFirstThenCancel(n int) int {
	ch := make(chan int)
	stop := make(chan struct{})
	go func() {
		for i := 0; i < n; i++ {
			select {
			case ch <- i:
			case <-stop:
				return
			}
		}
	}()
	v := <-ch
	close(stop)
	return v
}

// goodCountedReceives receives exactly as many values as the producer
// sends, in a counted loop.
func goodCountedReceives(msgs []string) {
	written := make(chan struct{}, len(msgs)/10+1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range msgs {
			written <- struct{}{}
		}
	}()
	for i := 0; i != len(msgs); i++ {
		<-written
	}
	<-done
}

// goodCountedConst is the same with a constant buffer.
func goodCountedConst(msgs []string) {
	written := make(chan struct{}, 8)
	go func() {
		for range msgs {
			written <- struct{}{}
		}
	}()
	for i := 0; i != len(msgs); i++ {
		<-written
	}
}

// badSecondSend sends twice and the starter takes one value.
func badSecondSend() int {
	ch := make(chan int)
	go func() {
		ch <- 1
		ch <- 2 // want `goroutine leak: the goroutine sends on ch up to 2 times but badSecondSend receives at most 1: this send blocks for ever`
	}()
	return <-ch
}

// goodSecondSendBuffered has room for the second value.
func goodSecondSendBuffered() int {
	ch := make(chan int, 1)
	go func() {
		ch <- 1
		ch <- 2
	}()
	return <-ch
}

// goodBothReceived takes both values.
func goodBothReceived() int {
	ch := make(chan int)
	go func() {
		ch <- 1
		ch <- 2
	}()
	return <-ch + <-ch
}

// gen returns a channel that a goroutine fills in a loop, then closes.
func gen(in []int) <-chan int { // want gen:`pendingSend\(0, loop\)`
	out := make(chan int)
	go func() {
		defer close(out)
		for _, v := range in {
			out <- v
		}
	}()
	return out
}

// badFirstOver stops ranging over gen's channel early: gen's goroutine
// blocks on its next send.
func badFirstOver(in []int, limit int) int {
	for v := range gen(in) {
		if v > limit {
			return v // want `goroutine leak: badFirstOver returns here while the goroutine gen started keeps sending on the channel it returned: that goroutine blocks for ever`
		}
	}
	return -1
}

// goodSumAll ranges to the close.
func goodSumAll(in []int) int {
	s := 0
	for v := range gen(in) {
		s += v
	}
	return s
}

// badFanInNoClose ranges over a channel its goroutines send on but
// nobody closes.
func badFanInNoClose(ins []int) []int {
	out := make(chan int)
	for _, i := range ins {
		go func(i int) { out <- i * 2 }(i)
	}
	var res []int
	for v := range out { // want `goroutine leak: the range over out in badFanInNoClose never ends: the goroutines only send on out and nothing closes it`
		res = append(res, v)
	}
	return res
}

// goodFanInCounted takes exactly one value per goroutine.
func goodFanInCounted(ins []int) []int {
	out := make(chan int)
	for _, i := range ins {
		go func(i int) { out <- i * 2 }(i)
	}
	var res []int
	for range ins {
		res = append(res, <-out)
	}
	return res
}

// goodCountedCommaOk receives once per goroutine in a counted loop; the
// test of the receive's ok inside it is not the loop's exit.
func goodCountedCommaOk(n int) []int {
	vals := make([]int, n)
	c := make(chan int, n)
	for i := 0; i < n; i++ {
		go func(i int) { c <- i }(i)
	}
	for i := 0; i < n; i++ {
		v, ok := <-c
		if ok {
			vals[i] = v
		}
	}
	return vals
}
