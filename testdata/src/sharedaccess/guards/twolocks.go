package guards

import "sync"

// A connection with one lock per direction: the settings both
// directions use are replaced only under both locks, and each side
// reads them under its own lock. Each read shares a lock with each
// write.
type Duplex struct {
	sendMu   sync.Mutex
	recvMu   sync.Mutex
	settings *Settings // want settings:`guarded\(recvMu\)`
	sent     int       // want sent:`guarded\(sendMu\)`
	received int       // want received:`guarded\(recvMu\)`
}

type Settings struct{ MaxFrame int }

func (d *Duplex) Reconfigure(s *Settings) { // want Reconfigure:`accesses\(w 0\.settings \[\(\*guards\.Duplex\)\.recvMu,\(\*guards\.Duplex\)\.sendMu\]\)`
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	d.recvMu.Lock()
	defer d.recvMu.Unlock()
	d.settings = s
}

func (d *Duplex) Reset() { // want Reset:`accesses\(w 0\.settings \[\(\*guards\.Duplex\)\.recvMu,\(\*guards\.Duplex\)\.sendMu\]\)`
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	d.recvMu.Lock()
	defer d.recvMu.Unlock()
	d.settings = &Settings{MaxFrame: 1 << 14}
}

func (d *Duplex) Send(n int) bool { // want Send:`accesses\(w 0\.sent \[\(\*guards\.Duplex\)\.sendMu\]; r 0\.sent \[\(\*guards\.Duplex\)\.sendMu\]; r 0\.settings \[\(\*guards\.Duplex\)\.sendMu\]; r 0\.settings\.MaxFrame \[\(\*guards\.Duplex\)\.sendMu\]\)`
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	if n > d.settings.MaxFrame {
		return false
	}
	d.sent += n
	return true
}

func (d *Duplex) Receive(n int) bool { // want Receive:`accesses\(w 0\.received \[\(\*guards\.Duplex\)\.recvMu\]; r 0\.received \[\(\*guards\.Duplex\)\.recvMu\]; r 0\.settings \[\(\*guards\.Duplex\)\.recvMu\]; r 0\.settings\.MaxFrame \[\(\*guards\.Duplex\)\.recvMu\]\)`
	d.recvMu.Lock()
	defer d.recvMu.Unlock()
	if n > d.settings.MaxFrame {
		return false
	}
	d.received += n
	return true
}

// The same, but Reconfigure takes only the send lock: Receive's read
// shares no lock with the write.
type Duplex2 struct {
	sendMu   sync.Mutex
	recvMu   sync.Mutex
	settings *Settings // want settings:`guarded\(sendMu\)`
	sent     int       // want sent:`guarded\(sendMu\)`
	received int       // want received:`guarded\(recvMu\)`
}

func (d *Duplex2) Reconfigure(s *Settings) { // want Reconfigure:`accesses\(w 0\.settings \[\(\*guards\.Duplex2\)\.sendMu\]\)`
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	d.settings = s
}

func (d *Duplex2) Reset() { // want Reset:`accesses\(w 0\.settings \[\(\*guards\.Duplex2\)\.sendMu\]\)`
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	d.settings = &Settings{MaxFrame: 1 << 14}
}

func (d *Duplex2) Send(n int) bool { // want Send:`accesses\(w 0\.sent \[\(\*guards\.Duplex2\)\.sendMu\]; r 0\.sent \[\(\*guards\.Duplex2\)\.sendMu\]; r 0\.settings \[\(\*guards\.Duplex2\)\.sendMu\]; r 0\.settings\.MaxFrame \[\(\*guards\.Duplex2\)\.sendMu\]\)`
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	if n > d.settings.MaxFrame {
		return false
	}
	d.sent += n
	return true
}

func (d *Duplex2) Receive(n int) bool { // want Receive:`accesses\(w 0\.received \[\(\*guards\.Duplex2\)\.recvMu\]; r 0\.received \[\(\*guards\.Duplex2\)\.recvMu\]; r 0\.settings \[\(\*guards\.Duplex2\)\.recvMu\]; r 0\.settings\.MaxFrame \[\(\*guards\.Duplex2\)\.recvMu\]\)`
	d.recvMu.Lock()
	defer d.recvMu.Unlock()
	if n > d.settings.MaxFrame { // want `unsynchronized read of d.settings: \(\*Duplex2\).Receive reads it without d.sendMu, which \(\*Duplex2\).Reconfigure writes holding it`
		return false
	}
	d.received += n
	return true
}
