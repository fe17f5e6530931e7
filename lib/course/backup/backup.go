// Package backup keeps a copy of a file that a command is about to overwrite or remove,
// so that generating files (`make notebooks`) never loses what a person wrote in them.
//
// The copies of one run go to one folder named for its start, ROOT/YYYYMMDD-HHMMSS/,
// under the file's own path: notebooks/01-x.ipynb is kept as
// build/backup/20260105-101010/notebooks/01-x.ipynb. A copy never replaces another: a
// second copy of the same path in the same folder gets ".1", ".2", … appended.
package backup

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// Backup is the folder of one run's copies; nothing is created until Keep is called.
type Backup struct {
	// Dir is ROOT/YYYYMMDD-HHMMSS.
	Dir string
}

// New returns the backup folder under root for a run that starts at now (local time).
func New(root string, now time.Time) *Backup {
	return &Backup{Dir: filepath.Join(root, now.Format("20060102-150405"))}
}

// Keep copies the file at path into b.Dir under the same path (relative to the working
// directory; an absolute path outside it keeps its path below the root) and returns the
// copy's path.
func (b *Backup) Keep(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	rel := filepath.Clean(path)
	if filepath.IsAbs(rel) {
		if wd, err := os.Getwd(); err == nil {
			if r, err := filepath.Rel(wd, rel); err == nil && !strings.HasPrefix(r, "..") {
				rel = r
			}
		}
	}
	rel = strings.TrimLeft(rel, string(filepath.Separator))
	if strings.HasPrefix(rel, "..") {
		rel = filepath.Base(rel) // outside the working directory: by name only
	}
	dst := filepath.Join(b.Dir, rel)
	for n := 1; ; n++ {
		if _, err := os.Stat(dst); os.IsNotExist(err) {
			break
		}
		dst = filepath.Join(b.Dir, rel) + fmt.Sprintf(".%d", n)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := atomicfile.WriteFile(dst, data); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return dst, nil
}
