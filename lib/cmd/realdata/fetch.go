package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/internal/filehash"
)

// unpackedMark is written last into a package's unpacked folder: a folder
// without it is an interrupted unpack and is done again.
const unpackedMark = ".unpacked"

// ErrNotFetched: a package is not in the cache and fetching was not allowed.
var ErrNotFetched = errors.New("package not fetched")

// Unpacked returns the folder the source is unpacked in under cacheDir,
// fetching and unpacking it first when missing and fetch is true: `apt-get
// download <package>=<version>` into cacheDir (no installation, no root
// needed), a check of the .deb's SHA-256 against the pin, then `dpkg -x` into
// a temporary folder renamed into place. Once unpacked, nothing touches the
// network. When the archive no longer serves the pinned version, the error
// says so: the data sets are defined by these versions (their data sheets
// count their files), so another version is never taken silently.
func Unpacked(s Source, cacheDir string, fetch bool) (string, error) {
	dir := filepath.Join(cacheDir, s.Dir())
	if mark, err := os.ReadFile(filepath.Join(dir, unpackedMark)); err == nil && string(mark) == s.mark() {
		return dir, nil
	}
	deb := filepath.Join(cacheDir, s.DebFile())
	if _, err := os.Stat(deb); err != nil {
		if !fetch {
			return "", fmt.Errorf("%s %s: %w (no %s; run without -offline, or `make realdata`)", s.Package, s.Version, ErrNotFetched, deb)
		}
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return "", fmt.Errorf("realdata: %w", err)
		}
		log.Printf("realdata: apt-get download %s=%s (%.0f MB) into %s", s.Package, s.Version, float64(s.DebBytes)/1e6, cacheDir)
		cmd := exec.Command("apt-get", "download", s.Package+"="+s.Version)
		cmd.Dir = cacheDir
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("realdata: apt-get download %s=%s: %v — this data set is pinned to that version "+
				"(Debian 12 'bookworm', main); if your apt sources lack it (run `apt-get update`, or add bookworm), "+
				"or the archive no longer serves it, the pins in lib/cmd/realdata/sources.go and the data sheets must "+
				"be updated together", s.Package, s.Version, err)
		}
		if _, err := os.Stat(deb); err != nil {
			return "", fmt.Errorf("realdata: apt-get download %s=%s wrote no %s", s.Package, s.Version, deb)
		}
	}
	if err := checkDigest(deb, s.SHA256); err != nil {
		return "", err
	}
	tmp := dir + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return "", fmt.Errorf("realdata: %w", err)
	}
	cmd := exec.Command("dpkg", "-x", deb, tmp)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("realdata: dpkg -x %s: %v", deb, err)
	}
	if err := unpackArchives(tmp, s.Archives); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, unpackedMark), []byte(s.mark()), 0o644); err != nil {
		return "", fmt.Errorf("realdata: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("realdata: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", fmt.Errorf("realdata: %w", err)
	}
	return dir, nil
}

// mark is what the unpacked folder's mark file holds: the package, version
// and digest, and the archives unpacked inside it, so that a folder unpacked
// with other Archives is unpacked again.
func (s Source) mark() string {
	m := s.Package + " " + s.Version + " " + s.SHA256 + "\n"
	for _, a := range s.Archives {
		m += fmt.Sprintf("archive %q prefix %q\n", a.Glob, a.Prefix)
	}
	return m
}

// checkDigest compares a file's SHA-256 with the pinned one.
func checkDigest(path, want string) error {
	got, err := filehash.SHA256(path)
	if err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	if got != want {
		return fmt.Errorf("realdata: %s has SHA-256 %s, want %s (the pinned build of this version): delete it and fetch again", path, got, want)
	}
	return nil
}
