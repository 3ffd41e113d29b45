// Package stdcalls checks that calls into the standard library are
// judged by the built-in table alone: the runtime's own bodies (a GC
// cycle started inside an allocation waits for its mark workers on a
// channel) must not make every caller blocking.
package stdcalls

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

func collect() { // ok: runtime.GC is not a blocking operation for callers
	runtime.GC()
}

func freeMemory() { // ok: nor is debug.FreeOSMemory
	debug.FreeOSMemory()
}

func allocate(n int) []byte { // ok: an allocation may start a GC cycle, which is not blocking
	b := make([]byte, n)
	return append(b, fmt.Sprint(n)...)
}

func format(xs []string) string { // ok: fmt and strings are pure
	return fmt.Sprintf("%v", strings.Join(xs, ","))
}

func yield() { // ok: Gosched yields, it does not wait
	runtime.Gosched()
}

func pause() { // want pause:"blocks\\(call to time.Sleep\\)"
	runtime.GC()
	time.Sleep(time.Millisecond)
}
