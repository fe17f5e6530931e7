package course

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoBinariesTracked fails when git tracks a compiled program (an ELF, Mach-O or PE
// file) or any file over 2 MiB: a `go build ./lib/cmd/X` at the repository's root leaves
// its binary there, and two such binaries (43 MB and 30 MB) were once committed by
// mistake. The shipped weights (about 1.4 MB each) stay under the size limit.
func TestNoBinariesTracked(t *testing.T) {
	const repo = "../.."
	const maxBytes = 2 << 20
	out, err := exec.Command("git", "-C", repo, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout (git ls-files: %v)", err)
	}
	magics := map[string][]byte{
		"ELF":            {0x7f, 'E', 'L', 'F'},
		"Mach-O":         {0xcf, 0xfa, 0xed, 0xfe},
		"PE (Windows)":   {'M', 'Z'},
		"Mach-O (32bit)": {0xce, 0xfa, 0xed, 0xfe},
	}
	checked := 0
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		path := filepath.Join(repo, name)
		info, err := os.Lstat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the work tree, or a link
		}
		checked++
		if info.Size() > maxBytes {
			t.Errorf("%s is tracked and %d bytes (limit %d): data and binaries are generated or fetched, not committed", name, info.Size(), maxBytes)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 4)
		n, _ := f.Read(head)
		f.Close()
		for kind, magic := range magics {
			if n >= len(magic) && bytes.Equal(head[:len(magic)], magic) {
				t.Errorf("%s is a compiled %s program tracked by git: `git rm --cached %s` and add it to .gitignore", name, kind, name)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("checked only %d tracked files: is %s the repository's root?", checked, repo)
	}
}
