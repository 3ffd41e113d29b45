//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd run in a process group of its own and its
// cancellation kill the whole group: go vet's compilers and vet tool
// processes stop with it.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
