package detector

import (
	"encoding/json"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

func fitted(t *testing.T) classify.Classifier {
	t.Helper()
	x := [][]float32{{0, 1, 0}, {0.1, 0.9, 0}, {1, 0, 0.2}, {0.9, 0.1, 0.1}}
	c := classify.NewKNN(classify.KNNOptions{K: 1})
	if err := c.Fit(x, dataset.SingleLabel([]int{0, 0, 1, 1}, 2)); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "det")
	info := zoo.Info{Name: "fake", SampleRateHz: 8000, ClipSeconds: 1, Layers: []string{"embedding"}, Digest: "abc"}
	cfg := NewConfig(info, embed.Options{EmbedOptions: zoo.EmbedOptions{Pooling: cnn.MaxPooling}, OverlapSeconds: 0.5}, 3)
	cfg.Classes, cfg.Classifier = []string{"owl", "wren"}, "k-NN"
	cfg.Annotations = &AnnotationTraining{Database: "a.db", Label: "owl", Positives: 3, Negatives: 2, WeakNegatives: 20, Seed: 7,
		TrainingFiles: []string{"a.wav", "b.wav"}}
	if err := (&Detector{Config: cfg, Classifier: fitted(t)}).Save(dir); err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	o, err := d.Config.EmbedOptions()
	if err != nil || o.OverlapSeconds != 0.5 || o.Pooling != cnn.MaxPooling || o.Layer != "embedding" {
		t.Errorf("embed options back: %+v %v", o, err)
	}
	if a := d.Config.Annotations; a == nil || a.Label != "owl" || a.WeakNegatives != 20 || a.Seed != 7 || len(a.TrainingFiles) != 2 {
		t.Errorf("annotation training record back: %+v", a)
	}
	p, err := d.Classifier.PredictProba([][]float32{{1, 0, 0.2}})
	if err != nil || p[0][1] != 1 {
		t.Errorf("loaded classifier: %v %v", p, err)
	}
	// A config whose classes do not match the classifier's outputs is refused.
	cfg.Classes = []string{"owl", "wren", "tit"}
	data, _ := json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, ConfigName), data, 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "2 outputs") {
		t.Errorf("3 classes for a 2-output classifier: %v", err)
	}
	// Another model's weights are refused.
	cfg.Extractor, cfg.Settings["digest"] = zoo.BirdsV1, "not-its-digest"
	if _, err := cfg.LoadExtractor(); err == nil || !strings.Contains(err.Error(), "weights") {
		t.Errorf("a detector of other weights: %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("an empty folder loaded")
	}
}
