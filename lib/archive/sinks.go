package archive

import (
	"errors"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// DBSink stores files in an embedding database under one model entry: each
// file's windows in one transaction (embeddb.DB.AddRecording), so a file is in
// whole or not at all.
type DBSink struct {
	DB    *embeddb.DB
	Model embeddb.Model
	// DeploymentID, when not 0, is the deployment the recordings belong to.
	DeploymentID int64
}

// Done reports whether the file's windows for the model are in the database.
func (s DBSink) Done(file string) (bool, error) { return s.DB.Embedded(file, s.Model) }

// Put adds the recording and its windows.
func (s DBSink) Put(f File) error {
	windows := make([]embeddb.Window, len(f.Windows))
	for i, w := range f.Windows {
		windows[i] = embeddb.Window{StartSeconds: w.StartSeconds, EndSeconds: w.EndSeconds, Embedding: w.Embedding}
	}
	_, err := s.DB.AddRecording(embeddb.Recording{File: f.Path, DeploymentID: s.DeploymentID,
		DurationSeconds: f.DurationSeconds, ContentSHA256: f.SHA256}, s.Model, windows)
	if errors.Is(err, embeddb.ErrAlreadyEmbedded) {
		return fmt.Errorf("%w: %w", ErrSkip, err)
	}
	return err
}
