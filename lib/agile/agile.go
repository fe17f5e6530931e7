package agile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Archive is the windows of one model in an embedding database, as a pool of
// clips numbered 0…Len()−1 in window-id order. archive.Embed stores
// recordings in the order of its files whatever its number of workers, so an
// archive embedded in one run is numbered the same way on every run.
type Archive struct {
	DB    *embeddb.DB
	Model embeddb.Model
	// Windows are the model's windows with their keys, in window-id order: pool
	// index i is Windows.Keys[i].
	Windows *embed.Embeddings
	index   map[windowKey]int
	// byFile are the pool indices of each file's windows by start, with the
	// longest window of the file: what Labels searches.
	byFile map[string]fileWindows
	// batch is the batch size of the reads of an archive of keys only (see
	// vectors); ≤ 0 is embeddb's default.
	batch int
}

type windowKey struct {
	file  string
	start float64
}

// fileWindows are one file's windows: pool indices sorted by start (then
// index), and the length of its longest window.
type fileWindows struct {
	indices        []int
	longestSeconds float64
}

// Open reads model's windows from db.
func Open(db *embeddb.DB, model embeddb.Model) (*Archive, error) {
	w, err := db.Embeddings(model)
	if err != nil {
		return nil, err
	}
	if w.Len() == 0 {
		return nil, fmt.Errorf("agile: %s holds no windows of model %s", db.Path(), model.Name)
	}
	return newArchive(db, model, w), nil
}

// newArchive returns the archive of w's windows with the index of their keys
// that Find reads.
func newArchive(db *embeddb.DB, model embeddb.Model, w *embed.Embeddings) *Archive {
	a := &Archive{DB: db, Model: model, Windows: w, index: make(map[windowKey]int, len(w.Keys)), byFile: map[string]fileWindows{}}
	for i, k := range w.Keys {
		a.index[windowKey{k.File, k.StartSeconds}] = i
		f := a.byFile[k.File]
		f.indices = append(f.indices, i)
		f.longestSeconds = max(f.longestSeconds, k.EndSeconds-k.StartSeconds)
		a.byFile[k.File] = f
	}
	for _, f := range a.byFile {
		slices.SortFunc(f.indices, func(p, q int) int {
			return cmp.Or(cmp.Compare(w.Keys[p].StartSeconds, w.Keys[q].StartSeconds), cmp.Compare(p, q))
		})
	}
	return a
}

// OpenScored reads model's windows from db batch at a time (embeddb.EachBatch;
// batch ≤ 0 is its default), scoring each batch with score (one score per
// vector, e.g. a classifier's probability of a class), and keeps only the
// keys and the scores: memory O(windows), not O(windows × dim). It returns an
// archive of keys only, as OpenKeys does, and the scores by pool index: those
// of Open's archive, scored at once.
func OpenScored(db *embeddb.DB, model embeddb.Model, batch int, score func(vectors [][]float32) ([]float64, error)) (*Archive, []float64, error) {
	var scores []float64
	a, err := openKeys(db, model, batch, func(vectors [][]float32) error {
		s, err := score(vectors)
		if err != nil {
			return err
		}
		if len(s) != len(vectors) {
			return fmt.Errorf("agile: %d scores for a batch of %d windows", len(s), len(vectors))
		}
		scores = append(scores, s...)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, scores, nil
}

// OpenKeys reads the keys of model's windows from db batch at a time
// (embeddb.EachKeyBatch, which reads no vector; batch ≤ 0 is its default):
// memory O(windows), not O(windows × dim). Its archive's Windows.Vectors are nil: Find, Labels,
// Items, Label, ValidateSample and ValidatePrecision work on it as on Open's,
// TrainingSet reads the vectors it needs from the database (in batches of
// the same size), and Search and Scores need Open's vectors.
func OpenKeys(db *embeddb.DB, model embeddb.Model, batch int) (*Archive, error) {
	return openKeys(db, model, batch, nil)
}

// openKeys returns the archive of the keys of model's windows, read batch at
// a time, calling each (when not nil) with every batch's vectors.
func openKeys(db *embeddb.DB, model embeddb.Model, batch int, each func(vectors [][]float32) error) (*Archive, error) {
	w := &embed.Embeddings{Model: model.Name}
	var err error
	if each == nil {
		err = db.EachKeyBatch(model, batch, func(keys []embed.Key) error {
			w.Keys = append(w.Keys, keys...)
			return nil
		})
	} else {
		err = db.EachBatch(model, batch, func(keys []embed.Key, vectors [][]float32) error {
			if err := each(vectors); err != nil {
				return err
			}
			w.Keys = append(w.Keys, keys...)
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	if len(w.Keys) == 0 {
		return nil, fmt.Errorf("agile: %s holds no windows of model %s", db.Path(), model.Name)
	}
	a := newArchive(db, model, w)
	a.batch = batch
	return a, nil
}

// errEnough stops an EachBatch pass that has read what it needed.
var errEnough = errors.New("agile: enough windows read")

// vectors returns the vectors of the windows at pool indices: from
// memory when the archive holds them (Open), else read from the database in
// one pass of batches that keeps only those (OpenKeys), stopping after the
// last one needed. Windows added since the archive was read come after its
// own (higher ids), so pool index i is the i-th window of the pass; a key
// that differs from the archive's is an error.
func (a *Archive) vectors(indices []int) ([][]float32, error) {
	out := make([][]float32, len(indices))
	if a.Windows.Vectors != nil {
		for j, i := range indices {
			out[j] = a.Windows.Vectors[i]
		}
		return out, nil
	}
	rows := make(map[int][]int, len(indices)) // pool index → rows of out
	for j, i := range indices {
		if i < 0 || i >= a.Len() {
			return nil, fmt.Errorf("agile: pool index %d of %d windows", i, a.Len())
		}
		rows[i] = append(rows[i], j)
	}
	if len(indices) == 0 {
		return out, nil
	}
	pos, found := 0, 0 // windows of the pass so far, distinct rows filled
	err := a.DB.EachBatch(a.Model, a.batch, func(keys []embed.Key, vectors [][]float32) error {
		for b, k := range keys {
			i := pos + b
			js, ok := rows[i]
			if !ok {
				continue
			}
			if want := a.Windows.Keys[i]; k != want {
				return fmt.Errorf("agile: window %d of %s is %s at %g s, not %s at %g s as when it was opened", i, a.DB.Path(), k.File, k.StartSeconds, want.File, want.StartSeconds)
			}
			v := slices.Clone(vectors[b])
			for _, j := range js {
				out[j] = v
			}
			if found++; found == len(rows) {
				return errEnough
			}
		}
		pos += len(keys)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	if found < len(rows) {
		return nil, fmt.Errorf("agile: %s holds %d windows of model %s, fewer than the %d when it was opened", a.DB.Path(), pos, a.Model.Name, a.Len())
	}
	return out, nil
}

// Len is the number of windows.
func (a *Archive) Len() int { return len(a.Windows.Keys) }

// Find returns the pool index of the window of file that starts at
// startSeconds, and whether there is one.
func (a *Archive) Find(file string, startSeconds float64) (int, bool) {
	i, ok := a.index[windowKey{file, startSeconds}]
	return i, ok
}

// Hit is a search result as a pool index, with its cosine similarity.
type Hit struct {
	Index int
	Key   embed.Key
	Score float32
}

// Search returns the k windows most similar to query (the database's HNSW
// index), best first.
func (a *Archive) Search(query []float32, k int) ([]Hit, error) {
	found, err := a.DB.Search(a.Model, query, k)
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, len(found))
	for j, f := range found {
		i, ok := a.Find(f.File, f.StartSeconds)
		if !ok {
			return nil, fmt.Errorf("agile: hit %s at %g s is not among the windows read at Open (added since?)", f.File, f.StartSeconds)
		}
		hits[j] = Hit{Index: i, Key: a.Windows.Keys[i], Score: f.Score}
	}
	return hits, nil
}

// Items returns the windows as active.Items for an oracle; with samples, each
// carries its clip read from its file (for a person to hear and see).
func (a *Archive) Items(indices []int, samples bool) ([]active.Item, error) {
	items := make([]active.Item, len(indices))
	loaded := map[string]*audio.Audio{}
	for j, i := range indices {
		k := a.Windows.Keys[i]
		items[j] = active.Item{Index: i, Key: k, Score: math.NaN()}
		if !samples {
			continue
		}
		au, ok := loaded[k.File]
		if !ok {
			var err error
			if au, err = audio.Load(k.File); err != nil {
				return nil, err
			}
			loaded[k.File] = au
		}
		mono := au.Mono()
		s := min(len(mono), int(k.StartSeconds*float64(au.SampleRateHz)))
		e := min(len(mono), int(math.Ceil(k.EndSeconds*float64(au.SampleRateHz))))
		items[j].Samples, items[j].SampleRateHz = mono[s:e], au.SampleRateHz
	}
	return items, nil
}

// Label asks oracle (Yes/No questions: is this label?) about the windows and
// stores every answer as an annotation of the window's span: Yes positive,
// No negative, Unsure uncertain, with provenance. It returns the answers, in
// order.
func (a *Archive) Label(ctx context.Context, oracle active.Oracle, indices []int, label, provenance string, samples bool) ([]active.Answer, error) {
	if label == "" || provenance == "" {
		return nil, errors.New("agile: Label needs a label and a provenance (who or what answers)")
	}
	items, err := a.Items(indices, samples)
	if err != nil {
		return nil, err
	}
	answers, err := oracle.Label(ctx, items)
	if err != nil {
		return nil, err
	}
	if len(answers) != len(items) {
		return nil, fmt.Errorf("agile: the oracle gave %d answers for %d windows", len(answers), len(items))
	}
	for j, i := range indices {
		t := LabelType(answers[j])
		k := a.Windows.Keys[i]
		rec, ok, err := a.DB.Recording(k.File)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("agile: %s is not in %s", k.File, a.DB.Path())
		}
		if _, err := a.DB.Annotate(embeddb.Annotation{RecordingID: rec.ID, StartSeconds: k.StartSeconds, EndSeconds: k.EndSeconds,
			Label: label, Type: t, Provenance: provenance}); err != nil {
			return nil, err
		}
	}
	return answers, nil
}

// Labelled is the annotated windows of one label: pool indices of positives
// and negatives (uncertain ones are left out). An annotation labels the
// windows that overlap at least half of it or half of themselves; when a window
// has answers of both kinds, the latest wins.
type Labelled struct {
	Positives, Negatives []int
}

// Labels reads label's annotations from the database, optionally only those
// whose provenance keep accepts (nil: all).
func (a *Archive) Labels(label string, keep func(provenance string) bool) (Labelled, error) {
	anns, err := a.DB.Annotations(label)
	if err != nil {
		return Labelled{}, err
	}
	return a.labelled(anns, keep), nil
}

// labelled is Labels on annotations anns, in id order. Each annotation looks
// only at the windows of its file that may overlap it (a binary search in
// byFile: those starting after its start minus the file's longest window and
// before its end), in pool order: O(annotations × log windows + the windows
// they label), not O(annotations × windows).
func (a *Archive) labelled(anns []embeddb.Annotation, keep func(provenance string) bool) Labelled {
	latest := map[int]embeddb.LabelType{}
	var order []int
	var candidates []int
	for _, an := range anns { // by id: later answers come later
		if keep != nil && !keep(an.Provenance) {
			continue
		}
		f := a.byFile[an.File]
		startOf := func(j int) float64 { return a.Windows.Keys[f.indices[j]].StartSeconds }
		lo := sort.Search(len(f.indices), func(j int) bool { return startOf(j) > an.StartSeconds-f.longestSeconds })
		hi := sort.Search(len(f.indices), func(j int) bool { return startOf(j) >= an.EndSeconds })
		candidates = append(candidates[:0], f.indices[lo:max(lo, hi)]...)
		slices.Sort(candidates)
		for _, i := range candidates {
			k := a.Windows.Keys[i]
			ov := min(k.EndSeconds, an.EndSeconds) - max(k.StartSeconds, an.StartSeconds)
			if ov <= 0 || (ov < 0.5*(an.EndSeconds-an.StartSeconds) && ov < 0.5*(k.EndSeconds-k.StartSeconds)) {
				continue
			}
			if _, seen := latest[i]; !seen {
				order = append(order, i)
			}
			latest[i] = an.Type
		}
	}
	var l Labelled
	for _, i := range order {
		switch latest[i] {
		case embeddb.Positive:
			l.Positives = append(l.Positives, i)
		case embeddb.Negative:
			l.Negatives = append(l.Negatives, i)
		}
	}
	return l
}

// TrainingSet returns the examples for a binary classifier of one label: the
// labelled positives (class 1) and negatives (class 0), plus weakNegatives
// windows drawn at random from those with no label, taken as negatives (class
// 0). The draw is seeded and made over the keys of the unlabelled windows in
// file and start order, so it depends neither on the order they went into the
// database nor on how the archive was read (Open, or OpenKeys with any batch
// size). Weak negatives are cheap and usually right when the class is rare;
// they are wrong for the positives they happen to draw, which the validation
// then shows. indices are the pool indices of the rows. On an archive of keys
// only (OpenKeys) the vectors of those rows alone are read from the database:
// memory O(windows) for the keys plus O(rows × dim).
func (a *Archive) TrainingSet(l Labelled, weakNegatives int, seed uint64) (x [][]float32, y []int, indices []int, err error) {
	if len(l.Positives) == 0 || len(l.Positives)+len(l.Negatives)+weakNegatives == len(l.Positives) {
		return nil, nil, nil, fmt.Errorf("agile: %d positives and %d negatives (+%d weak): need both", len(l.Positives), len(l.Negatives), weakNegatives)
	}
	labelled := map[int]bool{}
	add := func(i, class int) {
		y, indices = append(y, class), append(indices, i)
		labelled[i] = true
	}
	for _, i := range l.Positives {
		add(i, 1)
	}
	for _, i := range l.Negatives {
		add(i, 0)
	}
	var unlabelled []int
	for i := range a.Len() {
		if !labelled[i] {
			unlabelled = append(unlabelled, i)
		}
	}
	a.byKey(unlabelled)
	rng := rand.New(rand.NewPCG(seed, 0x6167696c65))
	rng.Shuffle(len(unlabelled), func(p, q int) { unlabelled[p], unlabelled[q] = unlabelled[q], unlabelled[p] })
	for _, i := range unlabelled[:min(weakNegatives, len(unlabelled))] {
		add(i, 0)
	}
	if x, err = a.vectors(indices); err != nil {
		return nil, nil, nil, err
	}
	return x, y, indices, nil
}

// Train fits a logistic regression (lib/classify, C = 1) on a TrainingSet.
func Train(x [][]float32, y []int) (classify.Classifier, error) {
	clf := classify.NewLogisticRegression(classify.LogisticOptions{})
	if err := clf.Fit(x, dataset.SingleLabel(y, 2)); err != nil {
		return nil, err
	}
	return clf, nil
}

// Scores runs clf over every window: the probability of class 1, by pool index.
func (a *Archive) Scores(clf classify.Classifier) ([]float64, error) {
	return ClassScores(clf, 1)(a.Windows.Vectors)
}

// ClassScores returns a scorer for OpenScored (and Scores): clf's probability
// of class c for each vector.
func ClassScores(clf classify.Classifier, c int) func([][]float32) ([]float64, error) {
	return func(vectors [][]float32) ([]float64, error) {
		p, err := clf.PredictProba(vectors)
		if err != nil {
			return nil, err
		}
		return metrics.Column(p, c), nil
	}
}

// byKey sorts pool indices by file, then start: an order that does not depend
// on the order in which recordings went into the database (window ids follow
// it: archive.Embed's file order, but two runs over parts of an archive, or a
// resumed one, may interleave differently), so that seeded draws are
// reproducible.
func (a *Archive) byKey(indices []int) {
	slices.SortFunc(indices, func(p, q int) int {
		kp, kq := a.Windows.Keys[p], a.Windows.Keys[q]
		return cmp.Or(strings.Compare(kp.File, kq.File), cmp.Compare(kp.StartSeconds, kq.StartSeconds))
	})
}

// Ranked returns the pool indices by score, highest first (ties by index).
func Ranked(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(p, q int) int {
		switch {
		case scores[p] > scores[q]:
			return -1
		case scores[p] < scores[q]:
			return 1
		}
		return 0
	})
	return idx
}
