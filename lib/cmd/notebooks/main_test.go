package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// setup makes a repo-like directory with lessons/, notebooks/ and a README.
func setup(t *testing.T, lessons map[string]string, readme string) (lessonsDir, outDir, readmePath string) {
	t.Helper()
	root := t.TempDir()
	lessonsDir, outDir = filepath.Join(root, "lessons"), filepath.Join(root, "notebooks")
	if err := os.MkdirAll(lessonsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range lessons {
		if err := os.WriteFile(filepath.Join(lessonsDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	readmePath = filepath.Join(root, "README.md")
	if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
		t.Fatal(err)
	}
	return
}

func TestWriteThenCheck(t *testing.T) {
	lessonsDir, outDir, readme := setup(t, map[string]string{
		"00-a.md":   "# A\n\n```go\n%%\nfmt.Println(1)\n```\n",
		"04b-bc.md": "# B\n",
		"README.md": "not a lesson",
	}, "")
	// The README names lessons by their path as the Makefile passes it.
	if err := os.WriteFile(readme, []byte("| "+lessonsDir+"/00-a.md | "+lessonsDir+"/04b-bc.md |"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, readme); err == nil || !strings.Contains(err.Error(), "00-a.ipynb is missing") {
		t.Fatalf("check before write: %v, want missing notebooks", err)
	}
	if err := write(lessonsDir, outDir); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, readme); err != nil {
		t.Fatalf("check after write: %v", err)
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 2 {
		t.Errorf("%d notebooks written, want 2", len(entries))
	}

	// A changed lesson makes its notebook stale.
	if err := os.WriteFile(filepath.Join(lessonsDir, "00-a.md"), []byte("# A, changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, readme); err == nil || !strings.Contains(err.Error(), "00-a.ipynb differs from") {
		t.Errorf("check after editing a lesson: %v, want a stale notebook", err)
	}

	// A removed lesson leaves an orphan that check reports and write removes.
	if err := os.Remove(filepath.Join(lessonsDir, "04b-bc.md")); err != nil {
		t.Fatal(err)
	}
	if err := check(lessonsDir, outDir, ""); err == nil || !strings.Contains(err.Error(), "04b-bc.ipynb has no lesson") {
		t.Errorf("check with an orphan: %v", err)
	}
	if err := write(lessonsDir, outDir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(outDir, "04b-bc.ipynb")); !os.IsNotExist(err) {
		t.Error("write kept the orphan notebook")
	}
}

func TestCheckReadmeListsLessons(t *testing.T) {
	lessonsDir, outDir, readme := setup(t, map[string]string{"01-x.md": "# X\n"}, "no lessons here")
	if err := write(lessonsDir, outDir); err != nil {
		t.Fatal(err)
	}
	err := check(lessonsDir, outDir, readme)
	if err == nil || !strings.Contains(err.Error(), "does not list") || !strings.Contains(err.Error(), "01-x.md") {
		t.Errorf("check with a README missing the lesson: %v", err)
	}
}

func TestBadLessons(t *testing.T) {
	tests := []struct {
		name, file, text, wantErr string
	}{
		{"bad name", "4-foo.md", "# x", "4-foo.md: a lesson's name must look like"},
		{"upper case", "04-Foo.md", "# x", "04-Foo.md: a lesson's name"},
		{"unclosed block", "02-x.md", "# x\n```go\nfmt.Println()\n", "02-x.md: line 2: ```go block is never closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lessonsDir, outDir, _ := setup(t, map[string]string{tc.file: tc.text}, "")
			err := write(lessonsDir, outDir)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("write: %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	lessonsDir, outDir, _ := setup(t, nil, "")
	if err := write(lessonsDir, outDir); err == nil || !strings.Contains(err.Error(), "holds no lessons") {
		t.Errorf("write with no lessons: %v", err)
	}
}

func TestVerify(t *testing.T) {
	if err := verify([]string{"../../notebook/testdata/gonb-failures.ipynb"}, 0); err == nil || !strings.Contains(err.Error(), "1 of 1 notebooks") {
		t.Errorf("verify on a notebook with failed cells: %v", err)
	}
	if err := verify([]string{"../../notebook/testdata/91-verifier-accepts.ipynb"}, 300); err != nil {
		t.Errorf("verify on a clean notebook within budget: %v", err)
	}
	if err := verify([]string{"../../notebook/testdata/92-verifier-budget.ipynb"}, 1); err == nil {
		t.Error("verify with a budget of 1 s of CPU passed a notebook that took more")
	}
	if err := verify(nil, 0); err == nil {
		t.Error("verify with no notebooks succeeded")
	}
	if err := verify([]string{"no-such.ipynb"}, 0); err == nil {
		t.Error("verify on a missing file succeeded")
	}
}
