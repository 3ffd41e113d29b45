package strategies

// Device simulates a blocking I/O call: Do sends a request to the
// device's own goroutine and parks the caller until the reply, as a
// read from a pipe or socket would.
type Device struct {
	req  chan struct{}
	resp chan struct{}
}

// NewDevice starts a device goroutine; Close stops it.
func NewDevice() *Device {
	d := &Device{req: make(chan struct{}), resp: make(chan struct{})}
	go func() {
		for range d.req {
			d.resp <- struct{}{}
		}
	}()
	return d
}

// Do performs one simulated I/O operation.
func (d *Device) Do() {
	d.req <- struct{}{}
	<-d.resp
}

// Close stops the device goroutine.
func (d *Device) Close() { close(d.req) }
