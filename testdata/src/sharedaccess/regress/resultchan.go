package regress

import "io"

// A constructor that returns an object and the channel the object
// closes when its producer ends (tusd's s3PartProducer): the range over
// the channel ends at that close, after the producer's last write.
type chunkProducer struct {
	r     io.Reader
	files chan []byte
	err   error
}

func newChunkProducer(r io.Reader) (*chunkProducer, <-chan []byte) {
	ch := make(chan []byte)
	return &chunkProducer{r: r, files: ch}, ch
}

func (p *chunkProducer) produce() {
	for {
		b := make([]byte, 8)
		n, err := p.r.Read(b)
		if err != nil {
			if err != io.EOF {
				p.err = err
			}
			break
		}
		p.files <- b[:n]
	}
	close(p.files)
}

func goodRangeResultChan(r io.Reader) (int, error) {
	p, ch := newChunkProducer(r)
	go p.produce()
	n := 0
	for b := range ch {
		n += len(b)
	}
	return n, p.err
}

// The same producer, whose error the caller checks before it drains
// the channel.
type earlyProducer struct {
	r     io.Reader
	files chan []byte
	err   error
}

func newEarlyProducer(r io.Reader) (*earlyProducer, <-chan []byte) {
	ch := make(chan []byte)
	return &earlyProducer{r: r, files: ch}, ch
}

func (p *earlyProducer) produce() {
	for {
		b := make([]byte, 8)
		n, err := p.r.Read(b)
		if err != nil {
			p.err = err // want `unsynchronized write to p.err: the goroutine running \(\*earlyProducer\)\.produce writes p.err, which badErrBeforeDrain reads after the go statement`
			break
		}
		p.files <- b[:n]
	}
	close(p.files)
}

func badErrBeforeDrain(r io.Reader) (int, error) {
	p, ch := newEarlyProducer(r)
	go p.produce()
	if p.err != nil {
		return 0, p.err
	}
	n := 0
	for b := range ch {
		n += len(b)
	}
	return n, nil
}

// The constructor may return the object by value; the caller keeps it
// in a variable and starts its pointer method.
type valueProducer struct {
	r     io.Reader
	files chan []byte
	err   error
}

func newValueProducer(r io.Reader, backlog int) (valueProducer, <-chan []byte) {
	ch := make(chan []byte, backlog)
	p := valueProducer{r: r, files: ch}
	return p, ch
}

func (p *valueProducer) produce() {
	b := make([]byte, 8)
	if _, err := p.r.Read(b); err != nil {
		p.err = err
	} else {
		p.files <- b
	}
	close(p.files)
}

func goodRangeValueResultChan(r io.Reader) (int, error) {
	p, ch := newValueProducer(r, 1)
	go p.produce()
	n := 0
	for b := range ch {
		n += len(b)
	}
	return n, p.err
}
