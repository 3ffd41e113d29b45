package regress

// A value receiver works on its own copy of the struct: the lazy set-up
// its pointer method makes writes that copy, not the value the
// goroutines share. The pointer-receiver twin writes the shared value.

type vcBlock struct{ k byte }

type vcCipher struct {
	key []byte
	blk *vcBlock
}

func (c *vcCipher) prepare() { c.blk = &vcBlock{k: c.key[0]} }

// GOOD: each call initialises its own copy.
func (c vcCipher) encrypt(p []byte) []byte {
	if c.blk == nil {
		c.prepare()
	}
	out := make([]byte, len(p))
	for i, b := range p {
		out[i] = b ^ c.blk.k
	}
	return out
}

func vcShareCopies(c vcCipher, inputs [][]byte) {
	done := make(chan struct{})
	for _, in := range inputs {
		go func() {
			c.encrypt(in)
			done <- struct{}{}
		}()
	}
	for range inputs {
		<-done
	}
}

type vcArray [4]int

// GOOD: an array-valued receiver's element writes are its own copy's.
func (a vcArray) sum() int {
	a[0] += a[1]
	return a[0] + a[2] + a[3]
}

func vcArrays(a vcArray) {
	done := make(chan int)
	go func() { done <- a.sum() }()
	go func() { done <- a.sum() }()
	<-done
	<-done
}

type vcLazy struct {
	key []byte
	blk *vcBlock
}

func (c *vcLazy) prepare() { c.blk = &vcBlock{k: c.key[0]} } // want `unsynchronized write to c.blk`

// BAD: a pointer receiver initialises the one shared value.
func (c *vcLazy) encrypt(p []byte) byte {
	if c.blk == nil {
		c.prepare()
	}
	return p[0] ^ c.blk.k
}

func vcSharePointer(c *vcLazy, inputs [][]byte) {
	done := make(chan struct{})
	for _, in := range inputs {
		go func() {
			c.encrypt(in)
			done <- struct{}{}
		}()
	}
	for range inputs {
		<-done
	}
}
