package sched

import "syscall"

func gettid() int { return syscall.Gettid() }
