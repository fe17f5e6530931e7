// Package runrecord holds what every training or measuring program writes into the
// record next to its output, so that a result says which code made it.
package runrecord

import (
	"os/exec"
	"strings"
)

// GitCommit returns the hash of the repository's HEAD, with "-dirty" appended when
// tracked files have uncommitted changes, or "unknown" outside a git checkout.
func GitCommit() string {
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if status, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(status))) > 0 {
		commit += "-dirty"
	}
	return commit
}
