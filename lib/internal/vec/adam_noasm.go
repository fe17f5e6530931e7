//go:build !amd64 || purego

package vec

// adamAsm: no assembly outside amd64 or with the "purego" tag.
func adamAsm(p, grad, m1, m2 []float32, a *Adam) int { return 0 }
