// Package goroutines finds the places where a package starts concurrent
// work and describes what each new goroutine can reach.
//
// A spawn is a go statement (on a function literal, a named function, a
// method value or a bound closure), sync.WaitGroup.Go, errgroup.Group.Go
// and TryGo, time.AfterFunc and context.AfterFunc (the calls that
// internal/syncapi says start a goroutine), a subtest that calls
// t.Parallel, an HTTP handler (concurrent by contract), or a function
// value passed to a callee whose Spawns fact says that it runs that
// parameter on a new goroutine.
//
// For every spawn the Result records the started function, the values it
// captures and receives, whether several instances may run at once (a
// spawn inside a loop, a handler), and the functions of this package that
// may run on the spawned goroutine. It also lists, per function, the
// happens-before events that order memory between goroutines: the spawn
// itself, channel send, receive and close, WaitGroup Done and Wait,
// errgroup Wait, Once.Do, and Cond operations.
//
// The pass reports nothing. It exports one fact, Spawns, on functions
// (attached to fn.Origin()) that start one of their function-valued
// parameters on a new goroutine, directly or through another spawner, so
// that callers in other packages see the callback as a spawn.
package goroutines
