package syncapi

// key names a function: its package path, its receiver's type name
// (pointer or not; "" for a function) and its name.
type key struct {
	pkg, recv, name string
}

const errgroupPath = "golang.org/x/sync/errgroup"

// on is an op on its receiver (argument 0).
func on(k Kind, t Type) Op { return Op{Kind: k, Type: t, Recv: 0, Func: -1} }

// runs is an op on its receiver (or -1) that runs argument fn as run says.
func runs(k Kind, t Type, recv, fn int, run Run) Op {
	return Op{Kind: k, Type: t, Recv: recv, Func: fn, Run: run}
}

// plain is an op with no synchronisation object among its arguments.
func plain(k Kind, t Type) Op { return Op{Kind: k, Type: t, Recv: -1, Func: -1} }

// table holds every classified function outside sync/atomic (whose
// functions and methods are classified by name: see atomicOp).
var table = map[key]Op{
	{"sync", "Mutex", "Lock"}:       on(Lock, Mutex),
	{"sync", "Mutex", "Unlock"}:     on(Unlock, Mutex),
	{"sync", "Mutex", "TryLock"}:    on(TryLock, Mutex),
	{"sync", "RWMutex", "Lock"}:     on(Lock, RWMutex),
	{"sync", "RWMutex", "Unlock"}:   on(Unlock, RWMutex),
	{"sync", "RWMutex", "TryLock"}:  on(TryLock, RWMutex),
	{"sync", "RWMutex", "RLock"}:    on(RLock, RWMutex),
	{"sync", "RWMutex", "RUnlock"}:  on(RUnlock, RWMutex),
	{"sync", "RWMutex", "TryRLock"}: on(TryRLock, RWMutex),
	{"sync", "RWMutex", "RLocker"}:  on(RLocker, RWMutex),
	{"sync", "Locker", "Lock"}:      on(Lock, Locker),
	{"sync", "Locker", "Unlock"}:    on(Unlock, Locker),

	{"sync", "WaitGroup", "Add"}:  on(WaitGroupAdd, WaitGroup),
	{"sync", "WaitGroup", "Done"}: on(WaitGroupDone, WaitGroup),
	{"sync", "WaitGroup", "Wait"}: on(WaitGroupWait, WaitGroup),
	{"sync", "WaitGroup", "Go"}:   runs(WaitGroupGo, WaitGroup, 0, 1, Goroutine),

	{errgroupPath, "Group", "Go"}:       runs(GroupGo, ErrGroup, 0, 1, Goroutine),
	{errgroupPath, "Group", "TryGo"}:    runs(GroupTryGo, ErrGroup, 0, 1, Goroutine),
	{errgroupPath, "Group", "Wait"}:     on(GroupWait, ErrGroup),
	{errgroupPath, "Group", "SetLimit"}: on(GroupSetLimit, ErrGroup),
	{errgroupPath, "", "WithContext"}:   plain(GroupWithContext, ErrGroup),

	{"sync", "Once", "Do"}:     runs(OnceDo, Once, 0, 1, Before),
	{"sync", "", "OnceFunc"}:   runs(OnceFunc, Once, -1, 0, Later),
	{"sync", "", "OnceValue"}:  runs(OnceFunc, Once, -1, 0, Later),
	{"sync", "", "OnceValues"}: runs(OnceFunc, Once, -1, 0, Later),

	{"sync", "", "NewCond"}:       plain(NewCond, Cond),
	{"sync", "Cond", "Wait"}:      on(CondWait, Cond),
	{"sync", "Cond", "Signal"}:    on(CondSignal, Cond),
	{"sync", "Cond", "Broadcast"}: on(CondBroadcast, Cond),

	{"sync", "Map", "Load"}:             on(MapLoad, Map),
	{"sync", "Map", "Store"}:            on(MapUpdate, Map),
	{"sync", "Map", "LoadOrStore"}:      on(MapUpdate, Map),
	{"sync", "Map", "LoadAndDelete"}:    on(MapUpdate, Map),
	{"sync", "Map", "Delete"}:           on(MapUpdate, Map),
	{"sync", "Map", "Swap"}:             on(MapUpdate, Map),
	{"sync", "Map", "CompareAndSwap"}:   on(MapUpdate, Map),
	{"sync", "Map", "CompareAndDelete"}: on(MapUpdate, Map),
	{"sync", "Map", "Clear"}:            on(MapUpdate, Map),
	{"sync", "Map", "Range"}:            runs(MapRange, Map, 0, 1, Before),

	{"time", "", "AfterFunc"}:   runs(AfterFunc, Timer, -1, 1, Goroutine),
	{"time", "", "NewTimer"}:    plain(NewTimer, Timer),
	{"time", "", "NewTicker"}:   plain(NewTicker, Ticker),
	{"time", "Timer", "Reset"}:  on(TimerReset, Timer),
	{"time", "Timer", "Stop"}:   on(TimerStop, Timer),
	{"time", "Ticker", "Reset"}: on(TickerReset, Ticker),
	{"time", "Ticker", "Stop"}:  on(TickerStop, Ticker),
	{"time", "", "Sleep"}:       plain(Sleep, Timer),
	{"time", "", "After"}:       plain(After, Timer),
	{"time", "", "Tick"}:        plain(Tick, Ticker),

	{"context", "", "WithCancel"}:        plain(WithCancel, Context),
	{"context", "", "WithCancelCause"}:   plain(WithCancel, Context),
	{"context", "", "WithTimeout"}:       plain(WithTimeout, Context),
	{"context", "", "WithTimeoutCause"}:  plain(WithTimeout, Context),
	{"context", "", "WithDeadline"}:      plain(WithDeadline, Context),
	{"context", "", "WithDeadlineCause"}: plain(WithDeadline, Context),
	{"context", "", "AfterFunc"}:         runs(ContextAfterFunc, Context, 0, 1, Goroutine),
	{"context", "Context", "Done"}:       on(ContextDone, Context),
	{"context", "Context", "Err"}:        on(ContextErr, Context),

	{"testing/synctest", "", "Run"}:   runs(SynctestRun, NoType, -1, 0, Bubble),
	{"testing/synctest", "", "Test"}:  runs(SynctestTest, NoType, -1, 1, Bubble),
	{"testing/synctest", "", "Wait"}:  plain(SynctestWait, NoType),
	{"internal/synctest", "", "Run"}:  runs(SynctestRun, NoType, -1, 0, Bubble),
	{"internal/synctest", "", "Test"}: runs(SynctestTest, NoType, -1, 1, Bubble),
	{"internal/synctest", "", "Wait"}: plain(SynctestWait, NoType),

	{"golang.org/x/sync/semaphore", "Weighted", "Acquire"}: on(SemaphoreAcquire, Semaphore),
	{"golang.org/x/sync/singleflight", "Group", "Do"}:      on(SingleflightDo, Singleflight),

	// Functions that call their function argument before returning, on
	// the caller's goroutine.
	{"sort", "", "Slice"}:         callback(1),
	{"sort", "", "SliceStable"}:   callback(1),
	{"sort", "", "SliceIsSorted"}: callback(1),
	{"sort", "", "Search"}:        callback(1),
	{"sort", "", "Find"}:          callback(1),

	{"slices", "", "SortFunc"}:         callback(1),
	{"slices", "", "SortStableFunc"}:   callback(1),
	{"slices", "", "IsSortedFunc"}:     callback(1),
	{"slices", "", "BinarySearchFunc"}: callback(2),
	{"slices", "", "IndexFunc"}:        callback(1),
	{"slices", "", "ContainsFunc"}:     callback(1),
	{"slices", "", "DeleteFunc"}:       callback(1),
	{"slices", "", "CompactFunc"}:      callback(1),
	{"slices", "", "EqualFunc"}:        callback(2),
	{"slices", "", "CompareFunc"}:      callback(2),
	{"slices", "", "MaxFunc"}:          callback(1),
	{"slices", "", "MinFunc"}:          callback(1),

	{"maps", "", "DeleteFunc"}: callback(1),
	{"maps", "", "EqualFunc"}:  callback(2),

	{"strings", "", "Map"}:           callback(0),
	{"strings", "", "FieldsFunc"}:    callback(1),
	{"strings", "", "IndexFunc"}:     callback(1),
	{"strings", "", "LastIndexFunc"}: callback(1),
	{"strings", "", "ContainsFunc"}:  callback(1),
	{"strings", "", "TrimFunc"}:      callback(1),
	{"strings", "", "TrimLeftFunc"}:  callback(1),
	{"strings", "", "TrimRightFunc"}: callback(1),

	{"bytes", "", "Map"}:           callback(0),
	{"bytes", "", "FieldsFunc"}:    callback(1),
	{"bytes", "", "IndexFunc"}:     callback(1),
	{"bytes", "", "LastIndexFunc"}: callback(1),
	{"bytes", "", "ContainsFunc"}:  callback(1),
	{"bytes", "", "TrimFunc"}:      callback(1),
	{"bytes", "", "TrimLeftFunc"}:  callback(1),
	{"bytes", "", "TrimRightFunc"}: callback(1),
}

// callback is a function that calls argument fn before returning.
func callback(fn int) Op { return runs(Callback, NoType, -1, fn, Before) }
