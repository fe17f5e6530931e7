// Package runrecord holds what every training or measuring program writes into the
// record next to its output, so that a result says which code made it.
//
// A record that ships with the repository (a model's record.json, its transfer.json,
// a lesson's data) must name a commit that holds the code that made it: [CleanCommit]
// refuses a working tree with uncommitted changes, unless the program is told to
// allow them (its -allow-dirty flag), and then marks the commit "-dirty".
package runrecord

import (
	"fmt"
	"os/exec"
	"strings"
)

// GitCommit returns the hash of the repository's HEAD, with "-dirty" appended when
// the working tree has uncommitted changes (to tracked files, or untracked files git
// does not ignore), or "unknown" outside a git checkout.
func GitCommit() string {
	commit, changes, err := state("")
	if err != nil {
		return "unknown"
	}
	if len(changes) > 0 {
		commit += "-dirty"
	}
	return commit
}

// CleanCommit returns the hash of HEAD when the working tree has no uncommitted
// changes. Otherwise it is an error naming the first changes — unless allowDirty,
// when it returns the hash marked "-dirty". Outside a git checkout it is an error
// either way, as no commit can be named.
func CleanCommit(allowDirty bool) (string, error) {
	return cleanCommitIn("", allowDirty)
}

func cleanCommitIn(dir string, allowDirty bool) (string, error) {
	commit, changes, err := state(dir)
	if err != nil {
		return "", fmt.Errorf("runrecord: no git commit to record: %w", err)
	}
	if len(changes) == 0 {
		return commit, nil
	}
	if allowDirty {
		return commit + "-dirty", nil
	}
	shown := changes
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("… %d more", len(changes)-5))
	}
	return "", fmt.Errorf("runrecord: the working tree has uncommitted changes (%s): a record must name a commit that holds the code that made it; commit them, or allow a dirty tree for a record you will not ship",
		strings.Join(shown, "; "))
}

// state returns HEAD's hash in dir ("" for the current directory) and the lines of
// `git status --porcelain` (changes to tracked files, untracked files not ignored).
func state(dir string) (commit string, changes []string, err error) {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(ee.Stderr)))
		}
		return string(out), err
	}
	head, err := git("rev-parse", "HEAD")
	if err != nil {
		return "", nil, err
	}
	status, err := git("status", "--porcelain")
	if err != nil {
		return "", nil, err
	}
	for _, line := range strings.Split(status, "\n") {
		if strings.TrimSpace(line) != "" {
			changes = append(changes, strings.TrimSpace(line))
		}
	}
	return strings.TrimSpace(head), changes, nil
}

// InHistory reports whether commit, as a record names it, is a clean commit of the
// history of the checkout's HEAD (HEAD itself or one of its ancestors). A commit that
// merely exists as an object is not enough: a rebase leaves the old commits' objects
// in the repository, but a record naming one of them points at code no clone of the
// branch holds. The error says which of these failed: a "-dirty" or empty commit, a
// name git does not know, or a commit outside HEAD's history.
func InHistory(commit string) error {
	return inHistoryIn("", commit)
}

func inHistoryIn(dir, commit string) error {
	switch {
	case commit == "" || commit == "unknown":
		return fmt.Errorf("runrecord: the record names no commit (%q)", commit)
	case strings.HasSuffix(commit, "-dirty"):
		return fmt.Errorf("runrecord: commit %s was measured on a working tree with uncommitted changes", commit)
	}
	git := func(args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	if err := git("cat-file", "-e", commit+"^{commit}"); err != nil {
		return fmt.Errorf("runrecord: commit %s is not in this repository (%v)", commit, err)
	}
	if err := git("merge-base", "--is-ancestor", commit, "HEAD"); err != nil {
		return fmt.Errorf("runrecord: commit %s is not in the history of HEAD (left behind by a rebase?): regenerate the record on a clean commit of this branch", commit)
	}
	return nil
}
