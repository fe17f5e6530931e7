//go:build !amd64 || purego

package purego

// flushesSubnormals reports whether this build can flush subnormals: only
// amd64 with assembly does (subnormal_amd64.go); elsewhere subnormals are
// computed as IEEE 754 says, which gives the same values as an amd64 build
// except where an intermediate result falls below the smallest normal float.
const flushesSubnormals = false

func enterFlushToZero() uint32  { return 0 }
func leaveFlushToZero(_ uint32) {}
