package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/embedshards"
	"github.com/dawnchorus/dawnchorus/lib/progress"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

const defaultDB = "dawnchorus.db"

// windowFlags are the flags that say how recordings become windows.
type windowFlags struct {
	model   string
	layer   string
	overlap float64
	batch   int
	workers int
}

func (w *windowFlags) add(fs interface {
	StringVar(*string, string, string, string)
	Float64Var(*float64, string, float64, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&w.model, "model", zoo.BirdsV1, "feature extractor (see 'dawnchorus models')")
	fs.StringVar(&w.layer, "layer", "", "the model's layer to embed (default: its embedding)")
	fs.Float64Var(&w.overlap, "overlap", 0, "seconds consecutive windows share (0 ≤ overlap < the model's clip length)")
	fs.IntVar(&w.batch, "batch", 32, "windows per model call")
	fs.IntVar(&w.workers, "workers", runtime.NumCPU(), "decoding workers (recordings are stored in path order whatever their number)")
}

func (w windowFlags) options() embed.Options {
	return embed.Options{EmbedOptions: zoo.EmbedOptions{Layer: w.layer, BatchSize: w.batch}, OverlapSeconds: w.overlap}
}

// embeddingDim returns the length of model's vectors with o, by embedding one
// silent clip.
func embeddingDim(model zoo.Model, o embed.Options) (int, error) {
	info := model.Info()
	clip := make([]float32, int(info.ClipSeconds*float64(info.SampleRateHz)))
	v, err := model.Embed([][]float32{clip}, info.SampleRateHz, zoo.EmbedOptions{Layer: o.Layer, Pooling: o.Pooling, BatchSize: 1})
	if err != nil {
		return 0, fmt.Errorf("model %s: %w", info.Name, err)
	}
	return len(v[0]), nil
}

func runEmbed(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "embed", "[flags] FOLDER_OR_FILE…")
	var w windowFlags
	w.add(fs)
	dbPath := fs.String("db", defaultDB, "the embedding database (created when missing)")
	npyDir := fs.String("npy", "", "write .npy + keys per recording into this folder instead of the database")
	hash := fs.Bool("hash", true, "record each file's SHA-256 in the database (a changed file is then refused)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, fs, "give the folders (or files) to embed")
	}
	if *npyDir != "" {
		if code, ok := refuseGiven(e, fs, "only for the database; -npy writes .npy files instead", "db", "hash"); !ok {
			return code
		}
	}
	model, err := zoo.Load(w.model)
	if err != nil {
		return fail(e, "embed", err)
	}
	info := model.Info()
	o := w.options()
	if o.Layer == zoo.ExternalScores && info.ScoresValue != "" {
		// The model's class outputs pool as its head says (scores_pooling),
		// so that analyze -model-scores finds these windows in the database.
		// Only here: ClassHeadOf checks the head's width by running the
		// scores layer, which embedding another layer need not compile; a
		// head that fails the check is an error, not another pooling.
		h, err := zoo.ClassHeadOf(model)
		if err != nil {
			return fail(e, "embed", err)
		}
		o.Pooling = h.Pooling
	}
	if !(o.OverlapSeconds >= 0 && o.OverlapSeconds < info.ClipSeconds) { // NaN too
		return usageErr(e, fs, "-overlap %g: want 0 ≤ overlap < %g s (%s's clip length)", o.OverlapSeconds, info.ClipSeconds, info.Name)
	}
	files, err := archive.Find(fs.Args())
	if err != nil {
		return fail(e, "embed", err)
	}
	if len(files) == 0 {
		return fail(e, "embed", fmt.Errorf("no audio files (%v) under %v", archive.Extensions, fs.Args()))
	}
	dim, err := embeddingDim(model, o)
	if err != nil {
		return fail(e, "embed", err)
	}
	settings := archive.Settings(info, o)

	var sink archive.Sink
	where := ""
	if *npyDir != "" {
		dir, err := embedshards.Open(*npyDir, embedshards.Manifest{Model: info.Name, Settings: settings})
		if err != nil {
			return fail(e, "embed", err)
		}
		sink, where = dir, *npyDir
	} else {
		db, err := embeddb.Open(*dbPath, embeddb.Options{IndexLater: true, Notes: e.stderr})
		if err != nil {
			return fail(e, "embed", err)
		}
		defer func() {
			if err := db.Close(); err != nil {
				fmt.Fprintf(e.stderr, "dawnchorus embed: closing %s: %v\n", *dbPath, err)
			}
		}()
		m, err := db.AddModel(info.Name, settings, dim)
		if err != nil {
			return fail(e, "embed", err)
		}
		sink, where = archive.DBSink{DB: db, Model: m}, *dbPath
	}
	meter := &progress.Meter{W: e.stderr, Name: "embed", Unit: "s of audio"}
	start := time.Now()
	rep, err := archive.Embed(ctx, model, files, sink, archive.Options{Embed: o, Workers: w.workers, Hash: *hash && *npyDir == "",
		Progress: meter, FileError: e.errLog.add})
	took := time.Since(start)
	fmt.Fprintf(e.stdout, "embedded %d files (%d windows, %.2f h of audio) into %s with %s in %s (%.0f h of audio per hour); %d already done, %d failed\n",
		rep.Embedded, rep.Windows, rep.AudioSeconds/3600, where, info.Name, progress.FormatDuration(took),
		rep.AudioSeconds/max(took.Seconds(), 1e-9), rep.Skipped, len(rep.Failed))
	if err != nil {
		return fail(e, "embed", err)
	}
	if rep.Embedded == 0 && rep.Skipped == 0 {
		return exitFailed
	}
	return exitOK
}
