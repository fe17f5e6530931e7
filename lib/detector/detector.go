// Package detector is a trained classifier saved with everything needed to
// run it on new recordings: the feature extractor it expects (a zoo model by
// name, with the digest of its weights and the windowing its embeddings were
// made with) and its classes. The dawnchorus command's train writes one,
// analyze reads it.
//
// # Files
//
// A detector is a folder:
//
//	DIR/detector.json   Config: extractor, settings, classes, label kind, training summary
//	DIR/classifier.gob  the fitted lib/classify model (classify.Load reads it)
//
// Save writes the classifier first and the config last, each atomically, so a
// folder with a detector.json is complete. Load refuses a folder whose
// classifier does not match its config (number of classes, feature
// dimension), and Extractor refuses a zoo model whose weights differ from the
// ones the detector was trained on.
package detector

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// ConfigVersion is the version of detector.json this package writes.
const ConfigVersion = 1

// Config is what detector.json holds.
type Config struct {
	Version int `json:"version"`
	// Extractor is the zoo model whose embeddings the classifier takes, and
	// Settings what made them (archive.Settings: digest, layer, pooling, clip
	// length, overlap, final-clip rule).
	Extractor string         `json:"extractor"`
	Settings  map[string]any `json:"settings"`
	// Dim is the embedding's length.
	Dim int `json:"dim"`
	// Classes are the classifier's outputs, in order; MultiLabel says whether
	// scores are independent sigmoids (true) or softmax probabilities.
	Classes    []string `json:"classes"`
	MultiLabel bool     `json:"multi_label"`
	// Classifier names the kind of classifier and its settings.
	Classifier string `json:"classifier"`
	// Source says what it was trained on (the label table, tables or folder)
	// and Examples how many windows, per class in ClassCounts.
	Source      string         `json:"source"`
	Examples    int            `json:"examples"`
	ClassCounts map[string]int `json:"class_counts"`
	Created     time.Time      `json:"created"`
	// Annotations says how a detector trained on an embedding database's
	// annotations was made (dawnchorus train -annotations); nil otherwise.
	Annotations *AnnotationTraining `json:"annotations,omitempty"`
}

// AnnotationTraining records a detector trained on the annotations of one
// label in an embedding database, with weak negatives (agile.TrainingSet).
type AnnotationTraining struct {
	// Database is the database's path and Label the annotations' label.
	Database string `json:"database"`
	Label    string `json:"label"`
	// Positives and Negatives count the annotated windows; WeakNegatives the
	// unlabelled windows drawn (with Seed) and taken as negatives.
	Positives     int    `json:"positives"`
	Negatives     int    `json:"negatives"`
	WeakNegatives int    `json:"weak_negatives"`
	Seed          uint64 `json:"seed"`
	// TrainingFiles are the recordings with a window in the training set,
	// weak negatives included, sorted: validation leaves them out.
	TrainingFiles []string `json:"training_files"`
}

// Detector is a fitted classifier and its Config.
type Detector struct {
	Config     Config
	Classifier classify.Classifier
}

// Paths of a detector's files in its folder.
const (
	ConfigName     = "detector.json"
	ClassifierName = "classifier.gob"
)

// EmbedOptions returns the embedding settings of the detector's windows
// (layer, pooling, overlap, final-clip rule), for archive.Embed.
func (c Config) EmbedOptions() (embed.Options, error) { return archive.OptionsFromSettings(c.Settings) }

// Save writes the detector to the folder dir (created when missing).
func (d *Detector) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("detector: %w", err)
	}
	if err := d.Classifier.Save(filepath.Join(dir, ClassifierName)); err != nil {
		return fmt.Errorf("detector: %w", err)
	}
	c := d.Config
	c.Version = ConfigVersion
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("detector: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, ConfigName), append(data, '\n'))
}

// Load reads a detector from the folder dir and checks its classifier against
// its config.
func Load(dir string) (*Detector, error) {
	path := filepath.Join(dir, ConfigName)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("detector: %w (a detector is a folder written by dawnchorus train)", err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("detector: %s: %w", path, err)
	}
	if c.Version != ConfigVersion {
		return nil, fmt.Errorf("detector: %s: version %d, this program reads version %d", path, c.Version, ConfigVersion)
	}
	if len(c.Classes) == 0 || c.Extractor == "" || c.Dim <= 0 {
		return nil, fmt.Errorf("detector: %s: no classes, extractor or dimension", path)
	}
	clf, err := classify.Load(filepath.Join(dir, ClassifierName))
	if err != nil {
		return nil, fmt.Errorf("detector: %w", err)
	}
	// A probe row checks the classifier's input and output sizes.
	probe := make([]float32, c.Dim)
	p, err := clf.PredictProba([][]float32{probe})
	if err != nil {
		return nil, fmt.Errorf("detector: %s: the classifier does not take %d-value embeddings: %w", dir, c.Dim, err)
	}
	if len(p[0]) != len(c.Classes) {
		return nil, fmt.Errorf("detector: %s: the classifier has %d outputs for the config's %d classes", dir, len(p[0]), len(c.Classes))
	}
	return &Detector{Config: c, Classifier: clf}, nil
}

// LoadExtractor loads the detector's zoo model and checks that its weights and
// clips are the ones the detector was trained with.
func (c Config) LoadExtractor() (zoo.Model, error) {
	m, err := zoo.Load(c.Extractor)
	if err != nil {
		return nil, fmt.Errorf("detector: %w", err)
	}
	if err := archive.CheckSettings(m.Info(), c.Settings); err != nil {
		return nil, fmt.Errorf("detector: %w", err)
	}
	return m, nil
}

// NewConfig starts a Config for a classifier on the embeddings of model made
// with o.
func NewConfig(info zoo.Info, o embed.Options, dim int) Config {
	return Config{Version: ConfigVersion, Extractor: info.Name, Settings: jsonRoundTrip(archive.Settings(info, o)), Dim: dim, Created: time.Now().UTC()}
}

// jsonRoundTrip gives settings as Load will read them (numbers as float64).
func jsonRoundTrip(m map[string]any) map[string]any {
	data, _ := json.Marshal(m)
	var out map[string]any
	json.Unmarshal(data, &out)
	return out
}
