// Package sched measures the scheduling claims of the seed: that a
// goroutine is far cheaper to create and to switch to than an OS
// thread, that it starts with a small stack, and that a few OS threads
// serve thousands of goroutines blocked in I/O.
//
// Go offers no portable way to start a bare OS thread, so the thread
// side is measured through the runtime's own thread handling, which is
// what a Go program pays: a goroutine that calls runtime.LockOSThread
// and exits without unlocking takes its thread with it, so the next
// goroutine needs a freshly created thread (clone), and a pair of
// goroutines each locked to its own thread can only hand control to
// each other through the kernel (futex wake and sleep), a real thread
// switch.
package sched
