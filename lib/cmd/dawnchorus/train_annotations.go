package main

import (
	"encoding/json"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"maps"
	"os"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/detector"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

type annotationTrainOptions struct {
	db, model     string // model: the -model flag when given, else ""
	modelID       int64
	label         string
	weakNegatives int
	seed          uint64
	out           string
}

// openExistingDB opens the embedding database at path, which must exist (the
// error says to embed first) — label, validate and openModel read one that
// embed wrote.
func openExistingDB(e *env, path string) (*embeddb.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: run 'dawnchorus embed FOLDER' first, or give -db", err)
	}
	return embeddb.Open(path, embeddb.Options{IndexLater: true, Notes: e.stderr})
}

// openModel opens the database at path (which must exist) and its model
// entry (pickModel: by id, else by name — a zoo name or an external model's
// config — else the only one), checks that the zoo's model of that name made
// its windows, and returns them with the model's settings as stored.
func openModel(e *env, path, name string, id int64) (*embeddb.DB, embeddb.Model, zoo.Model, map[string]any, error) {
	db, err := openExistingDB(e, path)
	if err != nil {
		return nil, embeddb.Model{}, nil, nil, err
	}
	fail := func(err error) (*embeddb.DB, embeddb.Model, zoo.Model, map[string]any, error) {
		db.Close()
		return nil, embeddb.Model{}, nil, nil, err
	}
	if name != "" {
		if name, err = zoo.Resolve(name); err != nil {
			return fail(err)
		}
	}
	m, err := pickModel(db, name, id)
	if err != nil {
		return fail(err)
	}
	var settings map[string]any
	if err := json.Unmarshal([]byte(m.Settings), &settings); err != nil {
		return fail(fmt.Errorf("model %s: settings %s: %w", m.Name, m.Settings, err))
	}
	model, err := zoo.Load(m.Name)
	if err != nil {
		return fail(err)
	}
	if err := archive.CheckSettings(model.Info(), settings); err != nil {
		return fail(err)
	}
	return db, m, model, settings, nil
}

// trainFromAnnotations trains a one-class detector of o.label on the
// database's annotations of it (agile.Labels: positives and negatives) plus
// o.weakNegatives unlabelled windows as negatives (agile.TrainingSet), and
// records how in the detector's config. It holds the keys of every window
// but the vectors of the training windows only (agile.OpenKeys).
func trainFromAnnotations(e *env, o annotationTrainOptions, clf classify.Classifier) int {
	db, m, model, settings, err := openModel(e, o.db, o.model, o.modelID)
	if err != nil {
		return fail(e, "train", err)
	}
	defer db.Close()
	a, err := agile.OpenKeys(db, m, 0) // keys only: TrainingSet reads just its rows' vectors
	if err != nil {
		return fail(e, "train", err)
	}
	labels, err := a.Labels(o.label, nil)
	if err != nil {
		return fail(e, "train", err)
	}
	x, y, used, err := a.TrainingSet(labels, o.weakNegatives, o.seed)
	if err != nil {
		return fail(e, "train", fmt.Errorf("label %q in %s: %w; label windows with 'dawnchorus label', or add -weak-negatives N", o.label, o.db, err))
	}
	hot := make([][]int, len(y))
	for i, c := range y {
		hot[i] = []int{c}
	}
	weak := len(y) - len(labels.Positives) - len(labels.Negatives)
	fmt.Fprintf(e.stderr, "train: fitting %s on %d windows of %s\n", clf.Name(), len(x), o.db)
	if err := clf.Fit(x, dataset.MultiLabel(hot)); err != nil {
		return fail(e, "train", err)
	}
	embedOptions, err := archive.OptionsFromSettings(settings)
	if err != nil {
		return fail(e, "train", err)
	}
	info := model.Info()
	cfg := detector.NewConfig(info, embedOptions, a.Model.Dim)
	cfg.Settings = settings // as the database holds them: analyze and validate find its windows by them
	cfg.Classes, cfg.MultiLabel, cfg.Classifier = []string{o.label}, true, clf.Name()
	cfg.Source = fmt.Sprintf("annotations of %q in %s", o.label, o.db)
	cfg.Examples, cfg.ClassCounts = len(x), map[string]int{o.label: len(labels.Positives)}
	files := map[string]bool{}
	for _, i := range used {
		files[a.Windows.Keys[i].File] = true
	}
	record := &detector.AnnotationTraining{Database: o.db, Label: o.label, Positives: len(labels.Positives), Negatives: len(labels.Negatives),
		WeakNegatives: weak, Seed: o.seed}
	record.TrainingFiles = slices.Sorted(maps.Keys(files))
	cfg.Annotations = record
	if err := (&detector.Detector{Config: cfg, Classifier: clf}).Save(o.out); err != nil {
		return fail(e, "train", err)
	}
	fmt.Fprintf(e.stdout, "trained %s on %d windows of %s: %d positive and %d negative annotations of %q, %d weak negatives (unlabelled windows taken as negatives, seed %d)\n",
		clf.Name(), len(x), o.db, len(labels.Positives), len(labels.Negatives), o.label, weak, o.seed)
	fmt.Fprintf(e.stdout, "saved to %s (extractor %s); its training windows come from %d recordings, which 'dawnchorus validate' leaves out\n",
		o.out, info.Name, len(record.TrainingFiles))
	return exitOK
}
