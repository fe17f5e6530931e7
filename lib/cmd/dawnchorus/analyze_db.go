package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// scoreFromDB scores, from the embedding database at dbPath, every file of
// files that is not scored yet and whose windows the database holds for the
// scorer's model and settings (the same windows 'dawnchorus embed' made):
// nothing is decoded or embedded again. It returns the files left to embed and
// how many it scored. A recording whose file changed since it was embedded
// (its SHA-256 differs from the one recorded) is embedded afresh, with a note.
// A missing database file is no error: every file is left to embed.
func scoreFromDB(e *env, dbPath string, sc scorer, sink scoresSink, files []string) (rest []string, reused int, err error) {
	if dbPath == "" {
		return files, 0, nil
	}
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return files, 0, nil
	}
	db, err := embeddb.Open(dbPath, embeddb.Options{IndexLater: true, Notes: e.stderr})
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	model, ok, err := db.FindModel(sc.extractor, sc.settings)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		fmt.Fprintf(e.stderr, "analyze: %s holds no windows of %s with %s; embedding the recordings\n", dbPath, sc.extractor, sc.what)
		return files, 0, nil
	}
	if model.Dim != sc.dim {
		return nil, 0, fmt.Errorf("%s: model %s holds vectors of dimension %d, analyze expects %d", dbPath, model.Name, model.Dim, sc.dim)
	}
	for _, file := range files {
		if done, err := sink.Done(file); err != nil {
			return nil, 0, err
		} else if done {
			rest = append(rest, file) // archive.Embed counts it as already scored
			continue
		}
		rec, ok, err := db.Recording(file)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			ok, err = db.Embedded(file, model)
			if err != nil {
				return nil, 0, err
			}
		}
		if ok && rec.ContentSHA256 != "" {
			sum, err := archive.FileSHA256(file)
			if err != nil {
				e.errLog.add(file, err)
				continue
			}
			if sum != rec.ContentSHA256 {
				fmt.Fprintf(e.stderr, "analyze: %s changed since it was embedded into %s; embedding it afresh\n", file, dbPath)
				ok = false
			}
		}
		if !ok {
			rest = append(rest, file)
			continue
		}
		windows, err := db.Windows(rec.ID, model)
		if err != nil {
			return nil, 0, err
		}
		f := archive.File{Path: file, DurationSeconds: rec.DurationSeconds, Windows: make([]archive.Window, len(windows))}
		for i, w := range windows {
			f.Windows[i] = archive.Window{StartSeconds: w.StartSeconds, EndSeconds: w.EndSeconds, Embedding: w.Embedding}
		}
		if err := sink.Put(f); err != nil {
			e.errLog.add(file, err)
			continue
		}
		reused++
	}
	return rest, reused, nil
}
