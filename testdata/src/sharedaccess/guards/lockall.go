package guards

import (
	"sync"
	"time"
)

// A sharded table whose epoch is written with every shard locked, by a
// loop that locks each in turn, and read under one shard's lock: the
// reader's shard is among those the writer holds.
type shardCell struct {
	smu  sync.Mutex
	rows []int // want rows:"guarded\\(smu\\)"
}

type shardedTable struct {
	mu     sync.Mutex
	shards []shardCell
	epoch  *int // want epoch:"guarded\\(mu\\)"
}

func newShardedTable(n int) *shardedTable {
	t := &shardedTable{shards: make([]shardCell, n)}
	e := new(int)
	t.epoch = e
	go t.sweep(e)
	return t
}

func (t *shardedTable) lockEvery() {
	for i := range t.shards {
		t.shards[i].smu.Lock()
	}
}

func (t *shardedTable) unlockEvery() {
	for i := range t.shards {
		t.shards[i].smu.Unlock()
	}
}

func (t *shardedTable) Reset() { // want Reset:"accesses\\(r 0\\.epoch \\[\\(\\*guards\\.shardCell\\)\\.smu,\\(\\*guards\\.shardedTable\\)\\.mu,caller-held\\]; r 0\\.shards \\[\\(\\*guards\\.shardCell\\)\\.smu,\\(\\*guards\\.shardedTable\\)\\.mu\\]; r 0\\.shards \\[\\(\\*guards\\.shardedTable\\)\\.mu\\]\\)"
	t.mu.Lock()
	defer t.mu.Unlock()
	t.resetLocked()
}

func (t *shardedTable) resetLocked() {
	t.lockEvery()
	defer t.unlockEvery()
	if t.epoch != nil {
		t.epoch = nil
	}
}

func (t *shardedTable) sweep(mine *int) {
	for n := 0; ; n++ {
		time.Sleep(time.Millisecond)
		s := &t.shards[n%len(t.shards)]
		s.smu.Lock()
		if t.epoch != mine { // ok: Reset holds every shard's lock
			s.smu.Unlock()
			return
		}
		s.rows = s.rows[:0]
		s.smu.Unlock()
	}
}

// The same table whose writer locks only every other shard: a reader
// on an odd shard runs beside it.
type halfLockedTable struct {
	mu     sync.Mutex
	shards []shardCell
	epoch  *int // want epoch:"guarded\\(mu\\)"
}

func newHalfLockedTable(n int) *halfLockedTable {
	t := &halfLockedTable{shards: make([]shardCell, n)}
	e := new(int)
	t.epoch = e
	go t.sweep(e)
	return t
}

func (t *halfLockedTable) lockEven() {
	for i := range t.shards {
		if i%2 == 0 {
			t.shards[i].smu.Lock()
		}
	}
}

func (t *halfLockedTable) unlockEven() {
	for i := range t.shards {
		if i%2 == 0 {
			t.shards[i].smu.Unlock()
		}
	}
}

func (t *halfLockedTable) Reset() { // want Reset:"accesses\\(r 0\\.epoch \\[\\(\\*guards\\.halfLockedTable\\)\\.mu,caller-held\\]; r 0\\.shards \\[\\(\\*guards\\.halfLockedTable\\)\\.mu\\]; r 0\\.shards \\[\\(\\*guards\\.halfLockedTable\\)\\.mu,\\(\\*guards\\.shardCell\\)\\.smu\\]\\)"
	t.mu.Lock()
	defer t.mu.Unlock()
	t.resetLocked()
}

func (t *halfLockedTable) resetLocked() {
	t.lockEven()
	defer t.unlockEven()
	if t.epoch != nil {
		t.epoch = nil
	}
}

func (t *halfLockedTable) sweep(mine *int) {
	for n := 0; ; n++ {
		time.Sleep(time.Millisecond)
		s := &t.shards[n%len(t.shards)]
		s.smu.Lock()
		if t.epoch != mine { // want `unsynchronized read of t\.epoch: \(\*halfLockedTable\)\.sweep reads it without t\.mu, which \(\*halfLockedTable\)\.resetLocked writes holding it`
			s.smu.Unlock()
			return
		}
		s.rows = s.rows[:0]
		s.smu.Unlock()
	}
}

// Each shard has two mutexes, and the loop locks both in every round: a
// reader that holds the second one's lock is covered too.
type dualCell struct {
	rmu sync.Mutex
	wmu sync.Mutex
	buf []byte // want buf:"guarded\\(wmu\\)"
}

type dualTable struct {
	mu     sync.Mutex
	shards []dualCell
	conn   *int // want conn:"guarded\\(mu\\)"
}

func newDualTable(n int) *dualTable {
	t := &dualTable{shards: make([]dualCell, n)}
	go t.write()
	return t
}

func (t *dualTable) lockShards() {
	for i := range t.shards {
		t.shards[i].rmu.Lock()
		t.shards[i].wmu.Lock()
	}
}

func (t *dualTable) unlockShards() {
	for i := range t.shards {
		t.shards[i].wmu.Unlock()
		t.shards[i].rmu.Unlock()
	}
}

func (t *dualTable) Redial() { // want Redial:`accesses\(r 0\.conn \[\(\*guards\.dualCell\)\.rmu,\(\*guards\.dualCell\)\.wmu,\(\*guards\.dualTable\)\.mu,caller\-held\]; r 0\.shards \[\(\*guards\.dualCell\)\.rmu,\(\*guards\.dualCell\)\.wmu,\(\*guards\.dualTable\)\.mu\]; r 0\.shards \[\(\*guards\.dualTable\)\.mu\]\)`
	t.mu.Lock()
	defer t.mu.Unlock()
	t.redialLocked()
}

func (t *dualTable) redialLocked() {
	t.lockShards()
	defer t.unlockShards()
	if t.conn != nil {
		t.conn = new(int)
	}
}

func (t *dualTable) write() {
	for n := 0; ; n++ {
		time.Sleep(time.Millisecond)
		s := &t.shards[n%len(t.shards)]
		s.wmu.Lock()
		if t.conn == nil { // ok: Redial holds every shard's wmu
			s.wmu.Unlock()
			return
		}
		s.buf = s.buf[:0]
		s.wmu.Unlock()
	}
}
