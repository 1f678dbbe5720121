//go:build unix

// Package cputime reads the CPU time the process has used, user and system, for
// benchmarks to report as cpu-ns/op: on a machine shared with other work it
// varies far less than wall time, since time spent waiting for a core is not
// counted. It includes the garbage collector's work on other threads.
package cputime

import (
	"syscall"
	"time"
)

// Now returns the process's CPU time so far, 0 when it cannot be read.
func Now() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
