//go:build amd64 && !purego

package vec

func hasAsm() bool { return hasAVX2 }
