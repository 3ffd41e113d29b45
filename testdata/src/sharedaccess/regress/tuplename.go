package regress

// A value from a multi-value call is named by the variable it is
// assigned to (coder/websocket's conn_test named it "the value at line
// 0").

type tupleWriter struct{ op int }
type tupleConn struct{ mw *tupleWriter }

func newTuplePair() (int, *tupleConn, *tupleConn) {
	return 0, &tupleConn{mw: &tupleWriter{}}, &tupleConn{mw: &tupleWriter{}}
}

func (c *tupleConn) write() { c.mw.op++ } // want `unsynchronized write to c1\.mw\.op: goroutines running startWriters\.func1 may run at once and each writes c1\.mw\.op`

func startWriters() {
	_, c1, c2 := newTuplePair()
	_ = c2
	for range 3 {
		go func() {
			c1.write()
		}()
	}
}
