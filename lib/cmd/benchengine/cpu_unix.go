//go:build unix

package main

import (
	"math"
	"syscall"
)

// cpuSeconds is the process's user+system CPU time: on a shared machine a
// step's CPU time depends much less on the other load than its wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
