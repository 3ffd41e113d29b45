package producer

import (
	"bufio"
	"io"
	"strings"
)

// lines closes its channel at the end of the input but not when a read
// fails: a caller that ranges over it waits for ever on a bad reader.
func lines(r io.Reader) <-chan string { // want lines:`pendingSend\(0, loop, unclosed\)`
	out := make(chan string)
	go func() {
		br := bufio.NewReader(r)
		for {
			s, err := br.ReadString('\n')
			if err == io.EOF {
				close(out)
				return
			}
			if err != nil {
				return
			}
			out <- s
		}
	}()
	return out
}

func CountLines(r io.Reader) int {
	n := 0
	for range lines(r) { // want `goroutine leak: the range over the channel lines returns never ends when its goroutine returns without closing the channel`
		n++
	}
	return n
}

// words closes its channel on every way out.
func words(s string) <-chan string { // want words:`pendingSend\(0, loop\)`
	out := make(chan string)
	go func() {
		defer close(out)
		for _, w := range strings.Fields(s) {
			out <- w
		}
	}()
	return out
}

func CountWords(s string) int {
	n := 0
	for range words(s) {
		n++
	}
	return n
}

// fields never closes its channel, and its caller takes exactly as many
// values as it sends instead of ranging.
func fields(a, b string) <-chan string { // want fields:`pendingSend\(0, loop, unclosed\)`
	out := make(chan string)
	go func() {
		for _, s := range []string{a, b} {
			out <- s
		}
	}()
	return out
}

func Join(a, b string) string {
	ch := fields(a, b)
	return <-ch + <-ch
}
