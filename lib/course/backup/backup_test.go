package backup

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestKeepCopiesUnderTheRunsFolderAndNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("notebooks/_assignments/05", 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join("notebooks", "_assignments", "05", "eval.go")
	if err := os.WriteFile(src, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := New("build/backup", time.Date(2026, 1, 5, 10, 10, 7, 0, time.Local))
	if want := filepath.Join("build", "backup", "20260105-101007"); b.Dir != want {
		t.Fatalf("Dir = %q, want %q", b.Dir, want)
	}
	if _, err := os.Stat(b.Dir); !os.IsNotExist(err) {
		t.Fatal("New created the folder before anything was kept")
	}
	tests := []struct {
		path, content, wantCopy string
	}{
		{src, "first", filepath.Join(b.Dir, src)},
		{src, "second", filepath.Join(b.Dir, src) + ".1"},
		{filepath.Join(dir, src), "third", filepath.Join(b.Dir, src) + ".2"}, // absolute, inside the working directory
	}
	for _, tc := range tests {
		if err := os.WriteFile(src, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := b.Keep(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.wantCopy {
			t.Errorf("Keep(%q) = %q, want %q", tc.path, got, tc.wantCopy)
		}
		if data, _ := os.ReadFile(got); string(data) != tc.content {
			t.Errorf("copy %s holds %q, want %q", got, data, tc.content)
		}
	}
	if _, err := b.Keep("missing.ipynb"); err == nil {
		t.Error("Keep of a missing file succeeded")
	}
}
