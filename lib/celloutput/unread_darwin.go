package celloutput

import (
	"os"

	"golang.org/x/sys/unix"
)

// fionread is Darwin's FIONREAD, _IOR('f', 127, int), which x/sys/unix does not name.
const fionread = 0x4004667f

// unreadBytes returns how many bytes written into the pipe f are not yet read (FIONREAD).
func unreadBytes(f *os.File) (int, error) {
	return unix.IoctlGetInt(int(f.Fd()), fionread)
}
