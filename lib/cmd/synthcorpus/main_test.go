package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesCorpus(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-out", dir, "-seed", "3", "-families", "2", "-species-per-family", "2", "-corpus-families", "2",
		"-corpus-species", "1", "-individuals", "1", "-recordings", "2", "-seconds", "0.5"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote 4 recordings of 2 species") {
		t.Errorf("stdout %q", stdout.String())
	}
	for _, name := range []string{"labels.csv", "metadata.csv", "DATASHEET.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if err := run(nil, &stdout, &stderr); err != errUsage {
		t.Errorf("no -out: %v, want the usage error", err)
	}
}
