package fewshot

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// ExtractorTable compares feature extractors side by side on several labelled
// sets (lib/cmd/transfertable writes it to a model's directory as
// transfer.json; lesson 04a reads it): for every set, few-shot classification
// and nearest-neighbour retrieval with each description of the clips.
type ExtractorTable struct {
	// Models are the pretrained models measured, with their weights' digests
	// (the table is stale when a digest differs from the shipped weights').
	Models        []string          `json:"models"`
	WeightsDigest map[string]string `json:"weights_digest"`
	// Handcrafted and Untrained name the two baselines.
	Handcrafted string `json:"handcrafted"`
	Untrained   string `json:"untrained"`
	PerClass    int    `json:"per_class"`
	// MaxRecordings caps the recordings measured per class (0: all).
	MaxRecordings int         `json:"max_recordings_per_class"`
	Seeds         []uint64    `json:"seeds"`
	Sets          []SetResult `json:"sets"`
	Engine        string      `json:"engine"`
	GOMAXPROCS    int         `json:"gomaxprocs"`
	GitCommit     string      `json:"git_commit"`
	MeasuredUTC   string      `json:"measured_utc"`
	Seconds       float64     `json:"seconds"`
}

// SetResult is one set's two comparisons.
type SetResult struct {
	Data string `json:"data"`
	// Classes are the classes measured; LeftOut those with too few recordings.
	Classes []string `json:"classes"`
	LeftOut []string `json:"left_out,omitempty"`
	// Recordings and Clips count the measured classes' recordings and clips.
	Recordings int         `json:"recordings"`
	Clips      int         `json:"clips"`
	FewShot    *Comparison `json:"few_shot"`
	Retrieval  *Comparison `json:"retrieval"`
}

// ReadExtractorTable reads a table written by lib/cmd/transfertable.
func ReadExtractorTable(path string) (*ExtractorTable, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fewshot: %w", err)
	}
	var t ExtractorTable
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("fewshot: %s: %w", path, err)
	}
	return &t, nil
}

// Set returns the result of the set whose directory ends in name
// (e.g. "real-narrators"), or nil.
func (t *ExtractorTable) Set(name string) *SetResult {
	for i := range t.Sets {
		if filepath.Base(t.Sets[i].Data) == name {
			return &t.Sets[i]
		}
	}
	return nil
}

// Markdown is the table for README and records: one row per set and feature
// set, few-shot and retrieval side by side, each a mean % with its bootstrap
// 95 % interval in brackets. A set whose draws took another number of clips
// per class than the table's says so after its counts.
func (t *ExtractorTable) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d clips per class drawn, %d draws (seeds %d–%d), mean %% and bootstrap 95 %% interval; commit %s, %s\n\n",
		t.PerClass, len(t.Seeds), t.Seeds[0], t.Seeds[len(t.Seeds)-1], t.GitCommit, t.MeasuredUTC)
	b.WriteString("| set (classes, recordings, clips) | features | few-shot accuracy (logistic) | retrieval P@1 (1-NN, cosine) |\n|---|---|---|---|\n")
	for _, s := range t.Sets {
		for k, r := range s.FewShot.Results {
			q := s.Retrieval.Results[k]
			set := ""
			if k == 0 {
				set = fmt.Sprintf("%s (%d, %d, %d)", filepath.Base(s.Data), len(s.Classes), s.Recordings, s.Clips)
				if s.FewShot.PerClass != 0 && s.FewShot.PerClass != t.PerClass {
					set += fmt.Sprintf(", %d clips per class", s.FewShot.PerClass)
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %.1f [%.1f, %.1f] | %.1f [%.1f, %.1f] |\n", set, r.Name,
				100*r.Mean, 100*r.CILow, 100*r.CIHigh, 100*q.Mean, 100*q.CILow, 100*q.CIHigh)
		}
	}
	return b.String()
}

// UsableLabels returns labels restricted to the classes with at least
// minRecordings recordings (dataset.CanonicalFile) and, when maxRecordings >
// 0, to maxRecordings recordings of each (a seeded shuffle of its sorted
// recordings, the same for every feature set), with the counts and classes
// of the result filled in. The returned table has only those classes'
// columns and rows; a recording is kept whole or not at all.
func UsableLabels(labels *dataset.LabelTable, minRecordings, maxRecordings int, seed uint64) (*dataset.LabelTable, SetResult) {
	var res SetResult
	recs := make([][]string, len(labels.Classes))
	seen := map[string]bool{}
	for _, r := range labels.Rows {
		f := dataset.CanonicalFile(r.File)
		if c := slices.Index(r.Labels, 1); c >= 0 && !seen[f] {
			seen[f] = true
			recs[c] = append(recs[c], f)
		}
	}
	chosen := map[string]bool{}
	var kept []int
	for c, name := range labels.Classes {
		if len(recs[c]) < minRecordings {
			res.LeftOut = append(res.LeftOut, fmt.Sprintf("%s (%d recordings)", name, len(recs[c])))
			continue
		}
		files := recs[c]
		slices.Sort(files)
		if maxRecordings > 0 && len(files) > maxRecordings {
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
			files = files[:maxRecordings]
		}
		for _, f := range files {
			chosen[f] = true
		}
		kept = append(kept, c)
		res.Classes = append(res.Classes, name)
		res.Recordings += len(files)
	}
	out := &dataset.LabelTable{Classes: slices.Clone(res.Classes)}
	for _, r := range labels.Rows {
		if !chosen[dataset.CanonicalFile(r.File)] {
			continue
		}
		out.Rows = append(out.Rows, r.WithClasses(kept))
	}
	res.Clips = len(out.Rows)
	return out, res
}

// MeasureOptions configures MeasureSet. Zero fields take the defaults in brackets.
type MeasureOptions struct {
	// PerClass clips of each class are drawn for training [10]; Seeds are the
	// draws [1…10].
	PerClass int
	Seeds    []uint64
	// MaxRecordings caps the recordings of each class (UsableLabels, seed 1; 0: all).
	MaxRecordings int
	// CacheDir caches embeddings and handcrafted features ("": none).
	CacheDir string
	// Progress, when set, gets the embedders' progress.
	Progress io.Writer
	// UntrainedName names the untrained network's feature set [its Info().Name
	// and " (untrained)"].
	UntrainedName string
}

func (o MeasureOptions) withDefaults() MeasureOptions {
	if o.PerClass == 0 {
		o.PerClass = 10
	}
	if o.Seeds == nil {
		o.Seeds = Seeds(10)
	}
	return o
}

// HandcraftedOptions are the handcrafted features every extractor table
// compares with: lib/features within 1–10 kHz (as in lesson 02).
var HandcraftedOptions = features.Options{BandLowHz: 1000, BandHighHz: 10000}

// MeasureSet measures every model of models (named names), lib/features'
// handcrafted description (HandcraftedOptions) and untrained on the set in
// dir (labels.csv and its audio): the usable classes (UsableLabels: at least
// PerClass + 2 recordings, at most MaxRecordings), few-shot classification (a
// logistic regression on PerClass clips per class, Compare) and retrieval
// (1-NN, cosine), over o.Seeds. It returns the set's result and the names of
// the two baselines.
func MeasureSet(dir string, models []zoo.Model, names []string, untrained zoo.Model, o MeasureOptions) (res SetResult, handcraftedName, untrainedName string, err error) {
	o = o.withDefaults()
	labels, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return res, "", "", err
	}
	labels, res = UsableLabels(labels, o.PerClass+2, o.MaxRecordings, 1)
	res.Data = dir
	progress := embed.Options{CacheDir: o.CacheDir, Progress: o.Progress}
	var fs []FeatureSet
	for i, m := range models {
		e, err := embed.EmbedRows(m, dir, labels, nil, progress)
		if err != nil {
			return res, "", "", err
		}
		if err := e.FailuresError(); err != nil {
			return res, "", "", err
		}
		fs = append(fs, FeatureSet{Name: names[i], Vectors: e.Vectors})
	}
	hnames, hand, err := features.DescribeRows(dir, labels, nil, HandcraftedOptions, o.CacheDir)
	if err != nil {
		return res, "", "", err
	}
	handcraftedName = fmt.Sprintf("handcrafted (%d, 1–10 kHz, standardised)", len(hnames))
	fs = append(fs, FeatureSet{Name: handcraftedName, Vectors: hand})
	u, err := embed.EmbedRows(untrained, dir, labels, nil, progress)
	if err != nil {
		return res, "", "", err
	}
	if err := u.FailuresError(); err != nil {
		return res, "", "", err
	}
	untrainedName = o.UntrainedName
	if untrainedName == "" {
		untrainedName = untrained.Info().Name + " (untrained)"
	}
	fs = append(fs, FeatureSet{Name: untrainedName, Vectors: u.Vectors})
	co := Options{PerClass: o.PerClass, Seeds: o.Seeds}
	if res.FewShot, err = Compare(labels, fs, co); err != nil {
		return res, "", "", err
	}
	co.NewClassifier = func() classify.Classifier {
		return classify.NewKNN(classify.KNNOptions{K: 1, Metric: classify.Cosine})
	}
	if res.Retrieval, err = Compare(labels, fs, co); err != nil {
		return res, "", "", err
	}
	return res, handcraftedName, untrainedName, nil
}

// MustMeasureSet is MeasureSet that panics on an error, for notebooks.
func MustMeasureSet(dir string, models []zoo.Model, names []string, untrained zoo.Model, o MeasureOptions) (res SetResult, handcraftedName, untrainedName string) {
	res, handcraftedName, untrainedName, err := MeasureSet(dir, models, names, untrained, o)
	if err != nil {
		panic(err)
	}
	return res, handcraftedName, untrainedName
}

// MatchSet checks a set measured now (live) against a saved one, feature set
// by feature set in order: the same set and classes, and every mean accuracy
// (few-shot and retrieval) within tolerance (a fraction: 0.005 is half a
// point). Feature sets are matched by position, as the baselines' names may
// differ between the two. It returns the largest difference of the means, and
// an error naming every difference beyond tolerance.
func MatchSet(live, saved SetResult, tolerance float64) (largest float64, err error) {
	var problems []string
	if !slices.Equal(live.Classes, saved.Classes) || live.Clips != saved.Clips {
		problems = append(problems, fmt.Sprintf("classes %v and %d clips now, %v and %d saved", live.Classes, live.Clips, saved.Classes, saved.Clips))
	}
	for _, part := range []struct {
		name        string
		live, saved *Comparison
	}{{"few-shot", live.FewShot, saved.FewShot}, {"retrieval", live.Retrieval, saved.Retrieval}} {
		if part.live == nil || part.saved == nil || len(part.live.Results) != len(part.saved.Results) {
			problems = append(problems, part.name+": a different number of feature sets")
			continue
		}
		for k, r := range part.live.Results {
			s := part.saved.Results[k]
			d := math.Abs(r.Mean - s.Mean)
			if math.IsNaN(d) {
				d = math.Inf(1)
			}
			largest = math.Max(largest, d)
			if d > tolerance {
				problems = append(problems, fmt.Sprintf("%s, %s: %.4f now, %.4f saved (%s)", part.name, r.Name, r.Mean, s.Mean, s.Name))
			}
		}
	}
	if len(problems) > 0 {
		return largest, fmt.Errorf("fewshot: %s: the measurement differs from the saved one beyond %g:\n\t%s", live.Data, tolerance, strings.Join(problems, "\n\t"))
	}
	return largest, nil
}
