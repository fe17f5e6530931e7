//go:build !amd64 || purego

package vec

// dotFixedAsm: no assembly outside amd64 or with the "purego" tag.
func dotFixedAsm(a, b []float32) (float32, bool) { return 0, false }

// squaredDistanceAsm: no assembly outside amd64 or with the "purego" tag.
func squaredDistanceAsm(a, b []float32) (float32, bool) { return 0, false }

// addTo64Asm: none, as squaredDistanceAsm.
func addTo64Asm(acc []float64, v []float32) int { return 0 }
