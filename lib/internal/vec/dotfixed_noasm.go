//go:build !amd64 || purego

package vec

// dotFixedAsm: no assembly outside amd64 or with the "purego" tag.
func dotFixedAsm(a, b []float32) (float32, bool) { return 0, false }
