package backend

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// sessionDirEnv names the variable that holds a folder living as long as the notebook's
// kernel: GoNB sets $GONB_TMP_DIR, once per kernel session, for every cell's program.
const sessionDirEnv = "GONB_TMP_DIR"

// reportedFile is the file, in the session folder, that holds the engine line last
// written in that session.
const reportedFile = "dawnchorus-engine-reported"

// reportChoice writes line (one line, no newline) to w, unless sessionDir is a folder
// where an earlier program of the same session already wrote that same line. Each GoNB
// cell is a program of its own, so without this every cell that trains or embeds would
// repeat the engine line; with it the line shows once per notebook session, again after a
// kernel restart (a new session folder) and again when the engine changes (say, after
// %env GOMLX_BACKEND=…), so the notebook always says what ran its numbers. An empty
// sessionDir (outside a notebook) always reports. Failing to read or write the marker
// only means the line may be repeated: it never hides the line.
func reportChoice(w io.Writer, line, sessionDir string) error {
	if w == nil {
		return nil
	}
	marker := ""
	if sessionDir != "" {
		marker = filepath.Join(sessionDir, reportedFile)
		if previous, err := os.ReadFile(marker); err == nil && strings.TrimSpace(string(previous)) == line {
			return nil
		}
	}
	if _, err := fmt.Fprintln(w, line); err != nil {
		return err
	}
	if marker != "" {
		// Best effort: written after the line, so a failure repeats the line, never loses it.
		// Cells run one at a time, so no two programs of a session race for this file.
		_ = os.WriteFile(marker, []byte(line+"\n"), 0o644)
	}
	return nil
}
