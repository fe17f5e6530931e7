package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/detector"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// newClassifier builds the classifier kind names.
func newClassifier(kind string, c float64, seed uint64) (classify.Classifier, error) {
	switch kind {
	case "logistic":
		return classify.NewLogisticRegression(classify.LogisticOptions{C: c}), nil
	case "mlp":
		return classify.NewMLP(classify.MLPOptions{Seed: seed}), nil
	case "tree":
		return classify.NewDecisionTree(classify.TreeOptions{}), nil
	case "forest":
		return classify.NewRandomForest(classify.ForestOptions{Seed: seed}), nil
	case "svm":
		return classify.NewSVM(classify.SVMOptions{C: c}), nil
	case "svm-rbf":
		return classify.NewSVM(classify.SVMOptions{C: c, Kernel: classify.RBF}), nil
	case "knn":
		return classify.NewKNN(classify.KNNOptions{}), nil
	}
	return nil, fmt.Errorf("no classifier %q (have logistic, mlp, tree, forest, svm, svm-rbf, knn)", kind)
}

// trainingSet is windows' embeddings with their labels.
type trainingSet struct {
	source  string
	classes []string
	vectors [][]float32
	labels  dataset.Labels
	counts  map[string]int
}

func runTrain(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "train", "[flags] (-annotations LABEL | -labels TABLE.csv | -raven FOLDER | -folders FOLDER)")
	var w windowFlags
	w.add(fs)
	labelsCSV := fs.String("labels", "", "an OpenSoundscape label table: file,start_time,end_time,<class>… (0/1)")
	ravenDir := fs.String("raven", "", "a folder of Raven selection tables, each named after its recording (NAME.Table.1.selections.txt)")
	audioDir := fs.String("audio", "", "with -raven: the folder of the recordings (default: the -raven folder)")
	column := fs.String("column", "Annotation", "with -raven: the tables' annotation column")
	minOverlap := fs.Float64("min-overlap", 0, "with -raven: seconds a selection must overlap a window to label it (0: any overlap)")
	folders := fs.String("folders", "", "a folder with one subfolder of recordings per class")
	annotations := fs.String("annotations", "", "train a detector of this label on its annotations in the database (-db; 'dawnchorus label' stores them)")
	weakNegatives := fs.Int("weak-negatives", 0, "with -annotations: also take this many unlabelled windows, drawn at random (-seed), as negatives")
	dbPath := fs.String("db", defaultDB, "with -annotations: the embedding database")
	modelID := fs.Int64("model-id", 0, "with -annotations: the database's model entry, when a model was embedded with several settings")
	kind := fs.String("classifier", "logistic", "logistic, mlp, tree, forest, svm, svm-rbf or knn")
	regC := fs.Float64("C", 1, "logistic regression's and SVM's inverse regularization strength")
	seed := fs.Uint64("seed", 1, "seed of -classifier mlp and forest, and of the draw of -weak-negatives")
	out := fs.String("out", "detector", "the detector's folder (written: detector.json, classifier.gob)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	sources := 0
	for _, s := range []string{*annotations, *labelsCSV, *ravenDir, *folders} {
		if s != "" {
			sources++
		}
	}
	if sources != 1 || fs.NArg() != 0 {
		return usageErr(e, fs, "give exactly one of -annotations, -labels, -raven or -folders")
	}
	clf, err := newClassifier(*kind, *regC, *seed)
	if err != nil {
		return usageErr(e, fs, "-classifier: %v", err)
	}
	// Flags that do not apply to the source or the classifier chosen.
	refusals := []struct {
		applies bool
		why     string
		names   []string
	}{
		{*ravenDir != "", "only with -raven", []string{"audio", "column", "min-overlap"}},
		{*annotations != "", "only with -annotations", []string{"db", "model-id", "weak-negatives"}},
		{*annotations == "", "not with -annotations: its windows are in the database, embedded already", []string{"layer", "overlap", "batch", "workers"}},
		{slices.Contains([]string{"logistic", "svm", "svm-rbf"}, *kind), "only for -classifier logistic, svm or svm-rbf", []string{"C"}},
		{slices.Contains([]string{"mlp", "forest"}, *kind) || (*annotations != "" && *weakNegatives > 0),
			"only for -classifier mlp or forest, or the draw of -weak-negatives", []string{"seed"}},
	}
	for _, r := range refusals {
		if !r.applies {
			if code, ok := refuseGiven(e, fs, r.why, r.names...); !ok {
				return code
			}
		}
	}
	if *annotations != "" {
		if *weakNegatives < 0 {
			return usageErr(e, fs, "-weak-negatives %d: want 0 or more", *weakNegatives)
		}
		modelName := ""
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "model" {
				modelName = w.model
			}
		})
		return trainFromAnnotations(e, annotationTrainOptions{db: *dbPath, model: modelName, modelID: *modelID,
			label: *annotations, weakNegatives: *weakNegatives, seed: *seed, out: *out}, clf)
	}
	model, err := zoo.Load(w.model)
	if err != nil {
		return fail(e, "train", err)
	}
	o := w.options()
	o.Progress = e.stderr
	info := model.Info()
	if o.OverlapSeconds < 0 || o.OverlapSeconds >= info.ClipSeconds {
		return usageErr(e, fs, "-overlap %g: want 0 ≤ overlap < %g s", o.OverlapSeconds, info.ClipSeconds)
	}
	var set *trainingSet
	switch {
	case *labelsCSV != "":
		set, err = fromLabelCSV(e, model, o, *labelsCSV)
	case *ravenDir != "":
		dir := *audioDir
		if dir == "" {
			dir = *ravenDir
		}
		set, err = fromRaven(e, model, o, *ravenDir, dir, *column, *minOverlap)
	default:
		set, err = fromFolders(e, model, o, *folders)
	}
	if err != nil {
		return fail(e, "train", err)
	}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	fmt.Fprintf(e.stderr, "train: fitting %s on %d windows of %d classes\n", clf.Name(), len(set.vectors), len(set.classes))
	if err := clf.Fit(set.vectors, set.labels); err != nil {
		return fail(e, "train", err)
	}
	o.Progress = nil
	cfg := detector.NewConfig(info, o, len(set.vectors[0]))
	cfg.Classes, cfg.MultiLabel, cfg.Classifier = set.classes, set.labels.IsMulti(), clf.Name()
	cfg.Source, cfg.Examples, cfg.ClassCounts = set.source, len(set.vectors), set.counts
	d := &detector.Detector{Config: cfg, Classifier: clf}
	if err := d.Save(*out); err != nil {
		return fail(e, "train", err)
	}
	kindName := "single-label (softmax)"
	if cfg.MultiLabel {
		kindName = "multi-label (one sigmoid per class; windows without a class are negatives)"
	}
	fmt.Fprintf(e.stdout, "trained %s on %d windows from %s, %s; classes and windows: %v\nsaved to %s (extractor %s)\n",
		clf.Name(), len(set.vectors), set.source, kindName, set.counts, *out, info.Name)
	fmt.Fprintln(e.stdout, "these windows trained it: measure it on other recordings (dawnchorus analyze, then evaluate)")
	return exitOK
}

// countClasses counts the windows of each class.
func countClasses(classes []string, y dataset.Labels) map[string]int {
	counts := map[string]int{}
	for i := range y.Len() {
		for c, name := range classes {
			if y.Has(i, c) {
				counts[name]++
			}
		}
	}
	return counts
}

// fromFolders embeds the recordings of each class folder, every window
// labelled with its folder's class.
func fromFolders(e *env, model zoo.Model, o embed.Options, root string) (*trainingSet, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	set := &trainingSet{source: root}
	var paths []string
	classOf := map[string]int{}
	for _, entry := range entries {
		if !entry.IsDir() || entry.Name()[0] == '.' {
			continue
		}
		files, err := archive.Find([]string{filepath.Join(root, entry.Name())})
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			continue
		}
		for _, f := range files {
			classOf[f] = len(set.classes)
		}
		set.classes = append(set.classes, entry.Name())
		paths = append(paths, files...)
	}
	if len(set.classes) < 2 {
		return nil, fmt.Errorf("%s: %d class folders with recordings, want at least 2", root, len(set.classes))
	}
	emb, err := embed.EmbedFiles(model, paths, o)
	if err != nil {
		return nil, err
	}
	for _, f := range emb.Failures {
		e.errLog.add(f.Path, f.Err)
	}
	index := make([]int, emb.Len())
	for i, k := range emb.Keys {
		index[i] = classOf[k.File]
	}
	set.vectors, set.labels = emb.Vectors, dataset.SingleLabel(index, len(set.classes))
	set.counts = countClasses(set.classes, set.labels)
	return set, nil
}

// fromRaven labels the windows of annotated recordings by their selections'
// overlap: a window is positive for each class whose selection overlaps it,
// and a negative for all classes when none does.
func fromRaven(e *env, model zoo.Model, o embed.Options, tableDir, audioDir, column string, minOverlap float64) (*trainingSet, error) {
	tables, err := archive.FindTables(tableDir)
	if err != nil {
		return nil, err
	}
	audioFiles, err := archive.Find([]string{audioDir})
	if err != nil {
		return nil, err
	}
	pairs, unmatched, err := archive.PairTables(audioFiles, tables)
	if err != nil {
		return nil, err
	}
	for _, t := range unmatched {
		fmt.Fprintf(e.stderr, "train: %s names no recording under %s; not used\n", t, audioDir)
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("no Raven table under %s is named after a recording under %s (NAME.wav ↔ NAME.Table.1.selections.txt)", tableDir, audioDir)
	}
	info := model.Info()
	var files []dataset.RavenFile
	for _, p := range pairs {
		d, err := duration(p.Audio)
		if err != nil {
			e.errLog.add(p.Audio, err)
			continue
		}
		files = append(files, dataset.RavenFile{Audio: p.Audio, Table: p.Table, DurationSeconds: d})
	}
	table, skipped := dataset.LabelsFromRaven(files, column, archive.SplitOptions(info, o), dataset.OverlapOptions{MinOverlapSeconds: minOverlap})
	for _, s := range skipped {
		e.errLog.add(s.Path, s.Err)
	}
	if len(table.Classes) == 0 {
		return nil, fmt.Errorf("the tables under %s have no annotations in column %q", tableDir, column)
	}
	rowOf := map[embed.Key]int{}
	var paths []string
	for i, r := range table.Rows {
		rowOf[embed.Key{File: r.File, StartSeconds: r.StartSeconds, EndSeconds: r.EndSeconds}] = i
		if len(paths) == 0 || paths[len(paths)-1] != r.File {
			paths = append(paths, r.File)
		}
	}
	emb, err := embed.EmbedFiles(model, paths, o)
	if err != nil {
		return nil, err
	}
	for _, f := range emb.Failures {
		e.errLog.add(f.Path, f.Err)
	}
	set := &trainingSet{source: tableDir, classes: table.Classes}
	var hot [][]int
	missing := 0
	for i, k := range emb.Keys {
		r, ok := rowOf[k]
		if !ok {
			missing++
			continue
		}
		hot = append(hot, table.Rows[r].Labels)
		set.vectors = append(set.vectors, emb.Vectors[i])
	}
	if missing > 0 {
		return nil, fmt.Errorf("%d windows have no row in the labels from the tables (a recording's decoded length differs from its header's)", missing)
	}
	set.labels = dataset.MultiLabel(hot)
	set.counts = countClasses(set.classes, set.labels)
	for _, c := range set.classes {
		if set.counts[c] == 0 {
			return nil, fmt.Errorf("class %q has no window: its selections overlap no window", c)
		}
	}
	return set, nil
}

// duration is a recording's length: its header's, else from decoding it.
func duration(path string) (float64, error) {
	if d := archive.HeaderDuration(path); d > 0 {
		return d, nil
	}
	a, err := audio.Load(path)
	if err != nil {
		return 0, err
	}
	return a.DurationSeconds(), nil
}

// fromLabelCSV embeds each row's span: a span up to a clip long is one
// (zero-padded) window, a longer one is cut into the model's windows, each
// with the row's labels. Files are found as written, else relative to the
// table's folder.
func fromLabelCSV(e *env, model zoo.Model, o embed.Options, path string) (*trainingSet, error) {
	table, err := dataset.ReadLabelCSV(path)
	if err != nil {
		return nil, err
	}
	split := archive.SplitOptions(model.Info(), o)
	split.SampleRateHz = 0
	split.Final, split.MinFinalSeconds = audio.FinalPad, -1
	clips, rows, err := labelRowClips(e, table, path, split)
	if err != nil {
		return nil, err
	}
	emb, err := embed.Embed(model, clips, o)
	if err != nil {
		return nil, err
	}
	kind := dataset.MultiHot
	if table.IsSingleLabel() {
		kind = dataset.ClassIndex
	}
	y, err := dataset.FromTable(table, rows, kind)
	if err != nil {
		return nil, err
	}
	set := &trainingSet{source: path, classes: table.Classes, vectors: emb.Vectors, labels: y}
	set.counts = countClasses(set.classes, y)
	return set, nil
}

// labelRowClips cuts the rows of table (read from path) into clips: each file once,
// in the order the rows first name it, found as written, else relative to path's
// folder; each row's span cut as dataset.LoadClipsNative cuts it (mono, at the
// file's own rate), then into windows by split, their times in the file's. It
// returns the clips and, for each, its row. A file that cannot be read is logged
// (e.errLog) and left out. A row that holds no sample of its file — it starts at
// or after the file's end, or its span rounds to no sample at the file's rate
// (e.g. 1–1.00002 s at 16 kHz, or a start in the file's last half-sample) — is
// logged naming the table and its line (path:line) and left out, the file's other
// rows kept; an error LoadClipsNative still gives for one of a file's rows is
// logged naming that row's table line too. A row that ends past its file's end is
// cut at the end (its last window padded by split); an empty row (end = start)
// gives no window, silently. No clip at all is an error. A file whose header
// gives its length and rate is decoded once (by LoadClipsNative); one whose header
// does not (a stream without a frame count) is decoded first to learn them.
func labelRowClips(e *env, table *dataset.LabelTable, path string, split audio.SplitOptions) ([]audio.Clip, []int, error) {
	byFile := map[string][]int{}
	var order []string
	for i, r := range table.Rows {
		if _, ok := byFile[r.File]; !ok {
			order = append(order, r.File)
		}
		byFile[r.File] = append(byFile[r.File], i)
	}
	var clips []audio.Clip
	var rows []int
	for _, file := range order {
		p := file
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) && !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(path), file)
		}
		rateHz, frames, err := frameCount(p)
		if err != nil {
			e.errLog.add(p, err)
			continue
		}
		seconds := float64(frames) / float64(rateHz)
		// The file's rows that hold a sample of it, named by p, ending at most at its
		// end (0: LoadClipsNative's "to the end of the file"), checked by the rule
		// LoadClipsNative cuts by (dataset.RowSamples).
		inside := &dataset.LabelTable{Classes: table.Classes}
		var insideRows []int
		for _, r := range byFile[file] {
			row := table.Rows[r]
			if row.StartSeconds >= seconds {
				e.errLog.add(p, fmt.Errorf("%s: row %g–%g s starts after the file's end (%g s)", rowName(path, table, r), row.StartSeconds, row.EndSeconds, seconds))
				continue
			}
			if row.EndSeconds <= row.StartSeconds {
				continue // an empty span: no window
			}
			row.File = p
			if row.EndSeconds > seconds {
				row.EndSeconds = 0
			}
			if _, _, err := dataset.RowSamples(row, rateHz, frames); err != nil {
				e.errLog.add(p, fmt.Errorf("%s: row %g–%g s %w", rowName(path, table, r), table.Rows[r].StartSeconds, table.Rows[r].EndSeconds, err))
				continue
			}
			inside.Rows = append(inside.Rows, row)
			insideRows = append(insideRows, r)
		}
		if len(insideRows) == 0 {
			continue
		}
		spans, rates, err := dataset.LoadClipsNative("", inside, inside.AllRows())
		if err != nil {
			// A row the header's length let through but the decoded file does not
			// hold: name it by its table line, not its index in inside.
			var re *dataset.RowError
			if errors.As(err, &re) {
				r := insideRows[re.Row]
				err = fmt.Errorf("%s: row %g–%g s %w", rowName(path, table, r), table.Rows[r].StartSeconds, table.Rows[r].EndSeconds, re.Err)
			}
			e.errLog.add(p, err)
			continue
		}
		for i, span := range spans {
			cs, err := audio.Split(span, rates[i], p, split)
			if err != nil {
				return nil, nil, err
			}
			start := table.Rows[insideRows[i]].StartSeconds
			for _, c := range cs {
				c.StartSeconds += start
				c.EndSeconds += start
				clips = append(clips, c)
				rows = append(rows, insideRows[i])
			}
		}
	}
	if len(clips) == 0 {
		return nil, nil, fmt.Errorf("%s: no row's recording could be read", path)
	}
	return clips, rows, nil
}

// frameCount returns a recording's sample rate (Hz) and length (frames): from its
// header when that says, else by decoding it.
func frameCount(path string) (rateHz, frames int, err error) {
	if s, err := audio.Open(path); err == nil {
		f := s.Format()
		s.Close()
		if f.Frames >= 0 && f.SampleRateHz > 0 {
			return f.SampleRateHz, int(f.Frames), nil
		}
	}
	a, err := audio.Load(path)
	if err != nil {
		return 0, 0, err
	}
	return a.SampleRateHz, a.NumFrames(), nil
}

// rowName names row r of table (read from path) as its user finds it: "path:line",
// or "path: row r" (from 0) for a table made in memory.
func rowName(path string, table *dataset.LabelTable, r int) string {
	if line := table.Rows[r].Line; line > 0 {
		return fmt.Sprintf("%s:%d", path, line)
	}
	return fmt.Sprintf("%s: row %d", path, r)
}
