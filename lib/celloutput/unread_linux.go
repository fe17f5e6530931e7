package celloutput

import (
	"os"

	"golang.org/x/sys/unix"
)

// unreadBytes returns how many bytes written into the pipe f are not yet read
// (Linux's FIONREAD, spelt TIOCINQ, works from either end of a pipe).
func unreadBytes(f *os.File) (int, error) {
	return unix.IoctlGetInt(int(f.Fd()), unix.TIOCINQ)
}
