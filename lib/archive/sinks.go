package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
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

// EmbedIntoDB is the whole first step of the agile loop: it embeds every audio
// file under dirs (Find) with model into the embedding database at dbPath
// (created, with its folder, when missing), under the model's entry for o.Embed's
// settings (Settings), one transaction per recording (DBSink); a recording
// already in is skipped, so a rerun, or a run after a crash, redoes nothing. It
// returns the open database (the caller closes it), the model's entry and
// Embed's report.
func EmbedIntoDB(ctx context.Context, model zoo.Model, dirs []string, dbPath string, o Options) (*embeddb.DB, embeddb.Model, Report, error) {
	files, err := Find(dirs)
	if err != nil {
		return nil, embeddb.Model{}, Report{}, err
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return nil, embeddb.Model{}, Report{}, err
	}
	db, err := embeddb.Open(dbPath, embeddb.Options{})
	if err != nil {
		return nil, embeddb.Model{}, Report{}, err
	}
	info := model.Info()
	m, err := db.AddModel(info.Name, Settings(info, o.Embed), info.EmbeddingSize)
	if err != nil {
		db.Close()
		return nil, embeddb.Model{}, Report{}, err
	}
	report, err := Embed(ctx, model, files, DBSink{DB: db, Model: m}, o)
	if err != nil {
		db.Close()
		return nil, embeddb.Model{}, report, err
	}
	return db, m, report, nil
}
