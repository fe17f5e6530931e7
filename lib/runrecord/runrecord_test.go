package runrecord

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitCommit: inside this checkout the commit is HEAD's hash as git prints it,
// perhaps marked dirty.
func TestGitCommit(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not in a git checkout")
	}
	got := GitCommit()
	if want := strings.TrimSpace(string(head)); strings.TrimSuffix(got, "-dirty") != want {
		t.Errorf("GitCommit() = %q, want %q (optionally -dirty)", got, want)
	}
}

// TestCleanCommit works in a repository made here: clean, it gives HEAD; with a
// changed tracked file or a new untracked one it refuses, naming the file, unless
// dirty trees are allowed, when the commit is marked -dirty; outside a repository it
// refuses.
func TestCleanCommit(t *testing.T) {
	dir, run := scratchRepo(t)
	if _, err := cleanCommitIn(dir, true); err == nil {
		t.Error("outside a repository: no error")
	}
	run("init", "-q")
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "package a\n")
	write(".gitignore", "build/\n")
	run("add", ".")
	run("commit", "-q", "-m", "first")
	head := run("rev-parse", "HEAD")
	if err := os.MkdirAll(filepath.Join(dir, "build"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("build/ignored.txt", "ignored output\n")
	if got, err := cleanCommitIn(dir, false); err != nil || got != head {
		t.Errorf("clean tree (ignored files aside): %q, %v; want %q", got, err, head)
	}
	for _, change := range []struct{ name, file, text string }{
		{"a changed tracked file", "a.go", "package a // changed\n"},
		{"a new untracked file", "b.go", "package a\n"},
	} {
		write(change.file, change.text)
		if _, err := cleanCommitIn(dir, false); err == nil || !strings.Contains(err.Error(), change.file) || !strings.Contains(err.Error(), "uncommitted changes") {
			t.Errorf("%s: error %v, want one naming %s", change.name, err, change.file)
		}
		if got, err := cleanCommitIn(dir, true); err != nil || got != head+"-dirty" {
			t.Errorf("%s, dirty allowed: %q, %v; want %q", change.name, got, err, head+"-dirty")
		}
		run("checkout", "--", ".")
		os.Remove(filepath.Join(dir, "b.go"))
	}
}

// TestInHistory works in a repository made here: HEAD and its parent are in the
// history; an empty, unknown or -dirty commit is not, nor is a commit left behind by
// a rebase (its object still exists, but no branch of HEAD's history holds it).
func TestInHistory(t *testing.T) {
	dir, run := scratchRepo(t)
	commit := func(name string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		run("add", name)
		run("commit", "-q", "-m", name)
		return run("rev-parse", "HEAD")
	}
	run("init", "-q", "-b", "main")
	first := commit("a")
	run("checkout", "-q", "-b", "side")
	sideOld := commit("b")
	run("checkout", "-q", "main")
	mainHead := commit("c")
	run("checkout", "-q", "side")
	run("rebase", "-q", "main")
	sideNew := run("rev-parse", "HEAD")
	for _, tc := range []struct {
		name, commit string
		want         string // "" for in the history, else a word of the error
	}{
		{"HEAD", sideNew, ""},
		{"an ancestor", first, ""},
		{"the rebased-onto commit", mainHead, ""},
		{"a commit left behind by a rebase", sideOld, "history of HEAD"},
		{"a dirty commit", sideNew + "-dirty", "uncommitted"},
		{"no commit", "", "no commit"},
		{"unknown", "unknown", "no commit"},
		{"a name git does not know", strings.Repeat("0", 40), "not in this repository"},
	} {
		err := inHistoryIn(dir, tc.commit)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s (%s): %v, want %q", tc.name, tc.commit, err, tc.want)
		}
	}
}

// scratchRepo returns an empty folder for a repository made by a test, and run,
// which runs git there with a fixed author and returns its output, trimmed (the
// test fails when git does). The test is skipped where there is no git.
func scratchRepo(t *testing.T) (dir string, run func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir = t.TempDir()
	return dir, func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
}
