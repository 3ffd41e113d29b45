// Package races demonstrates the data races that the sharedaccess
// analyzer reports, each as a Bad variant next to Good variants that
// fix it: with a mutex, by partitioning the data per goroutine, by
// giving the data one owner goroutine behind a channel, or with
// atomics.
//
// Every Bad variant really races: its test runs it in a child process
// built with -race and expects the race detector to report the lines
// marked "// race: Name". Every Good variant runs under -race in the
// parent test and must stay silent. The analyzers are checked against
// the same code by runtime/crosscheck.
package races
