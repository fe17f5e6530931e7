// Package filehash is the one way lib/ hashes a file's bytes: embed's cache keys,
// archive's record of what was embedded, and realdata's pinned downloads and exact
// copies all use it.
package filehash

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// SHA256 returns the hex SHA-256 of the file's bytes, read as a stream (a file
// of any size takes a few kilobytes of memory). Errors name the file.
func SHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
