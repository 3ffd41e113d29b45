package runneruse

import "sharedaccess/crosspkg/runner"

// GOOD: the read waits for Run's close through the getter.
func WaitRunning() bool {
	r := runner.New()
	go r.Run()
	<-r.Ready()
	return r.Running
}

// BAD: no wait.
func PeekAddr() string {
	r := runner.New()
	go r.Run() // want `unsynchronized write to r\.Addr: the goroutine running \(\*Router\)\.Run writes r\.Addr, which PeekAddr reads after the go statement`
	return r.Addr
}
