package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// scoresSink scores each file's windows and writes them to DIR/<shard>.csv,
// atomically: the mark that the file is done. score turns the windows'
// vectors into one score in [0, 1] per class: a detector's classifier on
// embeddings, or a model's own activation (zoo.ClassHead.Scores) on its class
// outputs.
type scoresSink struct {
	dir     string
	classes []string
	score   func(vectors [][]float32) ([][]float32, error)
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
	sc := &detections.Scores{Classes: s.classes}
	if len(f.Windows) > 0 {
		x := make([][]float32, len(f.Windows))
		keys := make([]embed.Key, len(f.Windows))
		for i, w := range f.Windows {
			x[i], keys[i] = w.Embedding, embed.Key{File: f.Path, StartSeconds: w.StartSeconds, EndSeconds: w.EndSeconds}
		}
		p, err := s.score(x)
		var bad *zoo.OutputError
		if errors.As(err, &bad) && bad.Clip < len(keys) && bad.Class < len(s.classes) {
			k := keys[bad.Clip]
			return fmt.Errorf("window at %g–%g s, class %q: %w", k.StartSeconds, k.EndSeconds, s.classes[bad.Class], err)
		}
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

// modelScoresDigest is the SHA-256 of what makes a model's own scores: its
// class head's digest (weights, settings, class list, activation) and the
// windows' settings (archive.Settings: layer, pooling, overlap, final clip).
func modelScoresDigest(head zoo.ClassHead, settings map[string]any) (string, error) {
	windows, err := json.Marshal(settings) // map keys sorted: the same settings, the same bytes
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "model scores\nhead %s\nwindows %s\n", head.Digest, windows)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// scoresMark is the file in a scores folder that holds the digest of what
// made its scores (a detector's or a model's; the name is from when only
// detectors wrote them, kept so that old folders stay checked).
const scoresMark = "DETECTOR-SHA256"

// checkScoresDir makes dir hold scores of one detector or model only.
func checkScoresDir(dir, digest string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mark := filepath.Join(dir, scoresMark)
	old, err := os.ReadFile(mark)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return atomicfile.WriteFile(mark, []byte(digest+"\n"))
	case err != nil:
		return err
	case strings.TrimSpace(string(old)) != digest:
		return fmt.Errorf("%s holds the scores of another detector or model, or of other settings (digest %s, this run's %s): give another -out, or remove it", dir, strings.TrimSpace(string(old)), digest)
	}
	return nil
}

var tableFormats = []string{"raven", "audacity", "csv", "parquet"}

// analyzeUsage is analyze's usage line and the two ways it scores windows.
const analyzeUsage = `[flags] FOLDER_OR_FILE…

Scores every window of the recordings one of two ways, then merges the windows
at or above -min-confidence into events and writes them as tables:

  -detector DIR       a detector written by 'dawnchorus train' (the default,
                      ./detector): its classifier scores the embeddings of the
                      model it was trained on (-model CONFIG when that is an
                      external model not listed in $` + zoo.ModelsEnv + `);
  -model-scores MODEL a model's own classifier: a model name or an external
                      model's config that gives its class outputs, e.g. a
                      BirdNET export's birdnet.model with
                          scores = logits
                          classes = BirdNET_GLOBAL_6K_V2.4_Labels.txt
                          activation = sigmoid   (the default; or softmax, none)
                          scores_pooling = max   (the default; or mean: how
                                                 frame-level outputs are pooled
                                                 over time before the activation)
                      dawnchorus analyze -model-scores birdnet.model recordings/

Give one of them, not both.`

func runAnalyze(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "analyze", analyzeUsage)
	detDir := fs.String("detector", "detector", "the detector's folder (written by 'dawnchorus train'); not with -model-scores")
	modelScores := fs.String("model-scores", "", "score with this model's own class outputs instead of a detector: a model name or an external model's config with scores, classes and activation keys")
	overlap := fs.Float64("overlap", 0, "with -model-scores: seconds consecutive windows share (0 ≤ overlap < the model's clip length); a detector's windows are the ones it was trained on")
	outDir := fs.String("out", "detections", "output folder: tables, and scores/ (every window's scores, which make a rerun resume)")
	formats := fs.String("formats", "raven", "comma-separated tables to write: raven, audacity, csv, parquet")
	minConf := fs.Float64("min-confidence", 0.5, "lowest score that makes a detection, in [0, 1]")
	events := addEventFlags(fs, "-min-confidence", 0, "the window length when windows do not overlap "+
		"(every window its own event), else a window plus one hop (two consecutive windows: a detector trained with -overlap, or -model-scores with -overlap)")
	combined := fs.Bool("combined", false, "one table of all recordings (Raven: laid end to end) instead of one per recording")
	batch := fs.Int("batch", 32, "windows per model call")
	workers := fs.Int("workers", 0, "decoding workers (default: the number of CPUs)")
	extConfig := fs.String("model", "", "with -detector: the config file of the external model the detector was trained on (when it is not in $"+zoo.ModelsEnv+")")
	dbPath := fs.String("db", defaultDB, "embedding database whose windows to reuse: recordings 'dawnchorus embed' put there (named the same way) with the model and settings that analyze needs are not embedded again (\"\": embed every recording)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *modelScores != "" {
		if code, ok := refuseGiven(e, fs, "not with -model-scores (-detector with its -model, or -model-scores: the two ways to score the windows; give one)", "detector", "model"); !ok {
			return code
		}
	} else if code, ok := refuseGiven(e, fs, "only with -model-scores (a detector's windows are the ones it was trained on)", "overlap"); !ok {
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
	if _, err := os.Stat(filepath.Join(*detDir, detector.ConfigName)); *modelScores == "" && len(given(fs, "detector")) == 0 && errors.Is(err, os.ErrNotExist) {
		return usageErr(e, fs, "no detector in %s: give -detector DIR (a detector written by 'dawnchorus train') or -model-scores MODEL (a model with its own classes)", *detDir)
	}
	files, err := archive.Find(fs.Args())
	if err != nil {
		return fail(e, "analyze", err)
	}
	if len(files) == 0 {
		return fail(e, "analyze", fmt.Errorf("no audio files (%v) under %v", archive.Extensions, fs.Args()))
	}
	var sc scorer
	if *modelScores != "" {
		sc, err = modelScorer(*modelScores, *overlap)
	} else {
		sc, err = detectorScorer(*detDir, *extConfig)
	}
	var badFlag flagError
	if errors.As(err, &badFlag) {
		return usageErr(e, fs, "%v", badFlag.error)
	}
	if err != nil {
		return fail(e, "analyze", err)
	}
	model, o := sc.model, sc.options
	o.BatchSize = *batch
	if !maxEventGiven(fs) {
		dOpts.MaxEventSeconds = defaultMaxEvent(model.Info().ClipSeconds, o.OverlapSeconds)
	}
	sink := scoresSink{dir: filepath.Join(*outDir, "scores"), classes: sc.classes, score: sc.score}
	if err := checkScoresDir(sink.dir, sc.digest); err != nil {
		return fail(e, "analyze", err)
	}
	toEmbed, reused, err := scoreFromDB(e, *dbPath, sc, sink, files)
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
		len(scored), rep.Embedded+reused, reused, source, rep.Skipped, len(rep.Failed), len(all), len(sc.classes), describeEvents(dOpts), *outDir)
	return exitOK
}

// scorer is what scores analyze's windows: the model that makes their
// vectors with options, the classes, the function from vectors to scores, and
// what the scores folder is checked against. For the embedding database,
// extractor, settings and dim say which of its windows are these vectors and
// what says so in the notes.
type scorer struct {
	model     zoo.Model
	options   embed.Options
	classes   []string
	score     func(vectors [][]float32) ([][]float32, error)
	digest    string
	extractor string
	settings  map[string]any
	dim       int
	what      string
}

// detectorScorer loads the detector in dir (and registers the config of its
// external model when one is given): its classifier on its model's embeddings.
func detectorScorer(dir, extConfig string) (scorer, error) {
	det, err := detector.Load(dir)
	if err != nil {
		return scorer{}, err
	}
	if extConfig != "" {
		if _, err := zoo.RegisterExternal(extConfig); err != nil {
			return scorer{}, err
		}
	}
	model, err := det.Config.LoadExtractor()
	if err != nil {
		return scorer{}, err
	}
	o, err := det.Config.EmbedOptions()
	if err != nil {
		return scorer{}, err
	}
	digest, err := detectorDigest(dir)
	if err != nil {
		return scorer{}, err
	}
	return scorer{model: model, options: o, classes: det.Config.Classes, score: det.Classifier.PredictProba, digest: digest,
		extractor: det.Config.Extractor, settings: det.Config.Settings, dim: det.Config.Dim, what: "the detector's settings"}, nil
}

// modelScorer loads the model ref names (a name or an external config's path)
// and scores with its own class head: its class outputs read as a layer of
// windows overlapping by overlapSeconds, turned into scores by the head.
func modelScorer(ref string, overlapSeconds float64) (scorer, error) {
	model, err := zoo.Load(ref)
	if err != nil {
		return scorer{}, err
	}
	head, err := zoo.ClassHeadOf(model)
	if err != nil {
		return scorer{}, err
	}
	info := model.Info()
	if !(overlapSeconds >= 0 && overlapSeconds < info.ClipSeconds) { // NaN too
		return scorer{}, flagError{fmt.Errorf("-overlap %g s: want 0 ≤ overlap < %g s (model %s's clip length)", overlapSeconds, info.ClipSeconds, info.Name)}
	}
	o := embed.Options{EmbedOptions: zoo.EmbedOptions{Layer: head.Layer, Pooling: head.Pooling}, OverlapSeconds: overlapSeconds}
	settings := archive.Settings(info, o)
	digest, err := modelScoresDigest(head, settings)
	if err != nil {
		return scorer{}, err
	}
	return scorer{model: model, options: o, classes: head.Classes, score: head.Scores, digest: digest,
		extractor: info.Name, settings: settings, dim: len(head.Classes), what: fmt.Sprintf("its layer %q (the class outputs) and these settings", head.Layer)}, nil
}

// flagError is an error in a flag's value found only once the model is
// loaded (an -overlap past its clip length): a usage error (exitUsage), as
// when the flag is checked at parse time.
type flagError struct{ error }

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
