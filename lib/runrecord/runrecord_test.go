package runrecord

import (
	"os/exec"
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
