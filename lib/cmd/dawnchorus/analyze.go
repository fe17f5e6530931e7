package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/detector"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embedshards"
	"github.com/dawnchorus/dawnchorus/lib/progress"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// scoresSink scores each file's windows with the detector and writes them to
// DIR/<shard>.csv, atomically: the mark that the file is done.
type scoresSink struct {
	dir string
	det *detector.Detector
}

func (s scoresSink) path(file string) string {
	return filepath.Join(s.dir, embedshards.ShardName(file)+".csv")
}

func (s scoresSink) Done(file string) (bool, error) {
	_, err := os.Stat(s.path(file))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (s scoresSink) Put(f archive.File) error {
	sc := &detections.Scores{Classes: s.det.Config.Classes}
	if len(f.Windows) > 0 {
		x := make([][]float32, len(f.Windows))
		keys := make([]embed.Key, len(f.Windows))
		for i, w := range f.Windows {
			x[i], keys[i] = w.Embedding, embed.Key{File: f.Path, StartSeconds: w.StartSeconds, EndSeconds: w.EndSeconds}
		}
		p, err := s.det.Classifier.PredictProba(x)
		if err != nil {
			return err
		}
		if err := sc.Append(keys, p); err != nil {
			return err
		}
	}
	path := s.path(f.Path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return sc.WriteCSV(path)
}

// detectorDigest is the SHA-256 of a detector's two files: what made a
// folder's scores.
func detectorDigest(dir string) (string, error) {
	h := sha256.New()
	for _, name := range []string{detector.ConfigName, detector.ClassifierName} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkScoresDir makes dir hold scores of one detector only.
func checkScoresDir(dir, digest string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mark := filepath.Join(dir, "DETECTOR-SHA256")
	old, err := os.ReadFile(mark)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return atomicfile.WriteFile(mark, []byte(digest+"\n"))
	case err != nil:
		return err
	case strings.TrimSpace(string(old)) != digest:
		return fmt.Errorf("%s holds the scores of another detector (%s): give another -out, or remove it", dir, strings.TrimSpace(string(old)))
	}
	return nil
}

var tableFormats = []string{"raven", "audacity", "csv", "parquet"}

func runAnalyze(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "analyze", "[flags] FOLDER_OR_FILE…")
	detDir := fs.String("detector", "detector", "the detector's folder (written by 'dawnchorus train')")
	outDir := fs.String("out", "detections", "output folder: tables, and scores/ (every window's scores, which make a rerun resume)")
	formats := fs.String("formats", "raven", "comma-separated tables to write: raven, audacity, csv, parquet")
	minConf := fs.Float64("min-confidence", 0.5, "lowest score that makes a detection, in [0, 1]")
	events := addEventFlags(fs, "-min-confidence", 0, "the detector's window length when its windows do not overlap "+
		"(every window its own event), else a window plus one hop (two consecutive windows: a detector trained with -overlap)")
	combined := fs.Bool("combined", false, "one table of all recordings (Raven: laid end to end) instead of one per recording")
	batch := fs.Int("batch", 32, "windows per model call")
	workers := fs.Int("workers", 0, "decoding workers (default: the number of CPUs)")
	extConfig := fs.String("model", "", "the config file of the external model the detector was trained on (when it is not in $"+zoo.ModelsEnv+")")
	dbPath := fs.String("db", defaultDB, "embedding database whose windows to reuse: recordings 'dawnchorus embed' put there (named the same way) with the detector's model and settings are not embedded again (\"\": embed every recording)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, fs, "give the folders (or files) to analyze")
	}
	dOpts, code, ok := events.options(e, fs, *minConf)
	if !ok {
		return code
	}
	want := map[string]bool{}
	for _, f := range strings.Split(*formats, ",") {
		f = strings.TrimSpace(strings.ToLower(f))
		if !slices.Contains(tableFormats, f) {
			return usageErr(e, fs, "-formats: unknown table %q (have %s)", f, strings.Join(tableFormats, ", "))
		}
		want[f] = true
	}
	files, err := archive.Find(fs.Args())
	if err != nil {
		return fail(e, "analyze", err)
	}
	if len(files) == 0 {
		return fail(e, "analyze", fmt.Errorf("no audio files (%v) under %v", archive.Extensions, fs.Args()))
	}
	det, err := detector.Load(*detDir)
	if err != nil {
		return fail(e, "analyze", err)
	}
	if *extConfig != "" {
		if _, err := zoo.RegisterExternal(*extConfig); err != nil {
			return fail(e, "analyze", err)
		}
	}
	model, err := det.Config.LoadExtractor()
	if err != nil {
		return fail(e, "analyze", err)
	}
	o, err := det.Config.EmbedOptions()
	if err != nil {
		return fail(e, "analyze", err)
	}
	o.BatchSize = *batch
	if !maxEventGiven(fs) {
		dOpts.MaxEventSeconds = defaultMaxEvent(model.Info().ClipSeconds, o.OverlapSeconds)
	}
	digest, err := detectorDigest(*detDir)
	if err != nil {
		return fail(e, "analyze", err)
	}
	sink := scoresSink{dir: filepath.Join(*outDir, "scores"), det: det}
	if err := checkScoresDir(sink.dir, digest); err != nil {
		return fail(e, "analyze", err)
	}
	toEmbed, reused, err := scoreFromDB(e, *dbPath, det, sink, files)
	if err != nil {
		return fail(e, "analyze", err)
	}
	var rep archive.Report
	if len(toEmbed) > 0 {
		meter := &progress.Meter{W: e.stderr, Name: "analyze", Unit: "s of audio"}
		rep, err = archive.Embed(ctx, model, toEmbed, sink, archive.Options{Embed: o, Workers: *workers, Progress: meter, FileError: e.errLog.add})
		if err != nil {
			return fail(e, "analyze", err)
		}
	}

	// The tables, from every scored file (this run's and earlier runs').
	failed := map[string]bool{}
	for _, f := range rep.Failed {
		failed[f.Path] = true
	}
	info := model.Info()
	ravenOpts := detections.RavenOptions{LowHz: info.Spectrogram.FMinHz, HighHz: info.Spectrogram.FMaxHz}
	if ravenOpts.HighHz == 0 {
		ravenOpts.HighHz = float64(info.SampleRateHz) / 2
	}
	var all []detections.Detection
	var scored []string
	durations := map[string]float64{}
	for _, file := range files {
		if failed[file] {
			continue
		}
		sc, err := detections.ReadScoresCSV(sink.path(file))
		if err != nil {
			e.errLog.add(file, err)
			continue
		}
		dets, err := detections.Detect(sc, dOpts)
		if err != nil {
			return fail(e, "analyze", err)
		}
		scored = append(scored, file)
		if *combined {
			d, err := duration(file)
			if err != nil {
				e.errLog.add(file, err)
				continue
			}
			durations[file] = d
			all = append(all, dets...)
			continue
		}
		all = append(all, dets...)
		base := filepath.Join(*outDir, embedshards.ShardName(file))
		if err := writeTables(base, dets, want, ravenOpts); err != nil {
			e.errLog.add(file, err)
		}
	}
	if *combined {
		ravenOpts.Files, ravenOpts.Durations = nil, durations
		for _, f := range scored {
			if _, ok := durations[f]; ok {
				ravenOpts.Files = append(ravenOpts.Files, f)
			}
		}
		if err := writeTables(filepath.Join(*outDir, "detections"), all, want, ravenOpts); err != nil {
			return fail(e, "analyze", err)
		}
	}
	source := "the database"
	if *dbPath != "" {
		source = *dbPath
	}
	fmt.Fprintf(e.stdout, "analyzed %d recordings (%d in this run, %d of them from %s's windows; %d already scored, %d failed): %d detections of %d classes (%s); tables in %s\n",
		len(scored), rep.Embedded+reused, reused, source, rep.Skipped, len(rep.Failed), len(all), len(det.Config.Classes), describeEvents(dOpts), *outDir)
	return exitOK
}

// writeTables writes the chosen tables of dets as base + .selections.txt,
// .labels.txt, .detections.csv and .detections.parquet.
func writeTables(base string, dets []detections.Detection, want map[string]bool, raven detections.RavenOptions) error {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	if want["raven"] {
		if err := detections.WriteRaven(base+".selections.txt", dets, raven); err != nil {
			return err
		}
	}
	if want["audacity"] {
		if raven.Files != nil { // a label track is one recording's
			files, groups := detections.ByFile(dets)
			for _, f := range files {
				path := filepath.Join(filepath.Dir(base), embedshards.ShardName(f)+".labels.txt")
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return err
				}
				if err := detections.WriteAudacity(path, groups[f]); err != nil {
					return err
				}
			}
		} else if err := detections.WriteAudacity(base+".labels.txt", dets); err != nil {
			return err
		}
	}
	if want["csv"] {
		if err := detections.WriteCSV(base+".detections.csv", dets); err != nil {
			return err
		}
	}
	if want["parquet"] {
		if err := detections.WriteParquet(base+".detections.parquet", dets); err != nil {
			return err
		}
	}
	return nil
}
