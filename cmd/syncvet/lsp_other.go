//go:build !unix

package main

import "os/exec"

// killGroup leaves cmd as it is: cancelling it kills the go command,
// whose children finish their unit and exit.
func killGroup(cmd *exec.Cmd) {}
