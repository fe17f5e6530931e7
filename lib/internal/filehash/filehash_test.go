package filehash

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSHA256(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	big := make([]byte, 3<<20+17) // more than one io.Copy buffer
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" : sha256.Sum256(data)
	}{
		{"empty", nil, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", []byte("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"big", big, ""},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		want := tc.want
		if want == "" {
			sum := sha256.Sum256(tc.data)
			want = hex.EncodeToString(sum[:])
		}
		if got, err := SHA256(path); err != nil || got != want {
			t.Errorf("%s: SHA256 = %q, %v; want %q", tc.name, got, err, want)
		}
	}
	missing := filepath.Join(dir, "missing")
	if _, err := SHA256(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: error %v, want one naming it and wrapping fs.ErrNotExist", err)
	}
	if _, err := SHA256(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("a directory: error %v, want one naming it", err)
	}
}
