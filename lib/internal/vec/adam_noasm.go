//go:build !amd64 || purego

package vec

// adamAsm: no assembly outside amd64 or with the "purego" tag.
func adamAsm(p, grad, m1, m2 []float32, a *Adam) int { return 0 }

func scaledSumAsm(out, x, y []float32, a, b float32) int                  { return 0 }
func scaledSumSquareAsm(out, x, y, z []float32, a, b float32) int         { return 0 }
func adamUpdateAsm(out, w, m1, m2 []float32, d1, lr, d2, eps float32) int { return 0 }
