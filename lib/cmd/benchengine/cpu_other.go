//go:build !unix

package main

import "math"

// cpuSeconds is not measured on this system: NaN.
func cpuSeconds() float64 { return math.NaN() }
