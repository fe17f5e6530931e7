//go:build amd64 && !purego

package purego

// getMXCSR returns the calling OS thread's SSE control and status register
// (subnormal_amd64.s).
//
//go:noescape
func getMXCSR() uint32

// setMXCSR loads v into the calling OS thread's SSE control and status register.
//
//go:noescape
func setMXCSR(v uint32)

// MXCSR bits: FTZ (flush to zero) makes an SSE/AVX operation whose result is
// subnormal return a zero of the same sign; DAZ (denormals are zero) makes it
// read subnormal operands as zeros of the same sign.
const (
	mxcsrFTZ = 1 << 15
	mxcsrDAZ = 1 << 6
)

// flushesSubnormals reports whether this build can flush subnormals (amd64 with assembly).
const flushesSubnormals = true

// enterFlushToZero sets FTZ and DAZ on the calling OS thread and returns the
// register's previous value for [leaveFlushToZero]. The caller must hold its
// OS thread (runtime.LockOSThread) from enter to leave.
func enterFlushToZero() uint32 {
	old := getMXCSR()
	setMXCSR(old | mxcsrFTZ | mxcsrDAZ)
	return old
}

// leaveFlushToZero restores the register value saved by [enterFlushToZero].
func leaveFlushToZero(old uint32) { setMXCSR(old) }
