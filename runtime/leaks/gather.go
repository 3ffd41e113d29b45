package leaks

import "sync"

// Dial opens a connection to addr.
type Dial func(addr string) (string, error)

// BadConnect dials on a goroutine and waits for the connection. On a
// failed dial the goroutine returns without sending, so the receive in
// BadConnect waits for ever: the caller itself leaks.
func BadConnect(dial Dial, addr string) string {
	out := make(chan string)
	go func() {
		c, err := dial(addr)
		if err != nil {
			return
		}
		out <- c
	}()
	return <-out
}

// GoodConnect sends on every path: the connection or the error.
func GoodConnect(dial Dial, addr string) (string, error) {
	type result struct {
		conn string
		err  error
	}
	out := make(chan result)
	go func() {
		c, err := dial(addr)
		out <- result{c, err}
	}()
	r := <-out
	return r.conn, r.err
}

// BadGather dials every address on a goroutine of its own and collects
// the connections. It waits for the workers before it receives what
// they send on an unbuffered channel: each worker blocks in its send,
// before its Done, and BadGather blocks in wg.Wait.
func BadGather(dial Dial, addrs []string) []string {
	var wg sync.WaitGroup
	conns := make(chan string)
	for _, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, err := dial(a); err == nil {
				conns <- c
			}
		}()
	}
	wg.Wait()
	close(conns)
	var out []string
	for c := range conns {
		out = append(out, c)
	}
	return out
}

// GoodGather waits on a goroutine of its own, which closes the channel
// when every worker is done, and receives meanwhile.
func GoodGather(dial Dial, addrs []string) []string {
	var wg sync.WaitGroup
	conns := make(chan string)
	for _, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, err := dial(a); err == nil {
				conns <- c
			}
		}()
	}
	go func() {
		wg.Wait()
		close(conns)
	}()
	var out []string
	for c := range conns {
		out = append(out, c)
	}
	return out
}
