package classify

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"io"
	"os"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// fileMagic opens every saved classifier, so Load can tell one from another file.
const fileMagic = "dawnchorus/classify"

// fileVersion is the version of the saved format.
const fileVersion = 1

// envelope is the saved form: a header naming the kind of model, then the
// model's own gob-encoded state.
type envelope struct {
	Magic   string
	Version int
	Kind    string
	Body    []byte
}

// persistent is implemented by every classifier: its kind and its state.
type persistent interface {
	Classifier
	kind() string
	fitted() *header // nil before Fit or Load.
	encodeState() (any, error)
	decodeState(dec *gob.Decoder) error
}

// kinds makes an empty classifier of each saved kind, for Load.
var kinds = map[string]func() persistent{
	kindLogistic: func() persistent { return &LogisticRegression{} },
	kindMLP:      func() persistent { return &MLP{} },
	kindTree:     func() persistent { return &DecisionTree{} },
	kindForest:   func() persistent { return &RandomForest{} },
	kindSVM:      func() persistent { return &SVM{} },
	kindKNN:      func() persistent { return &KNN{} },
}

// saveFitted is every classifier's Save: an error before Fit, else save.
func saveFitted(c persistent, path string) error {
	if c.fitted() == nil {
		return fmt.Errorf("classify: save %s: %s: %w", path, c.Name(), ErrNotFitted)
	}
	return save(c, path)
}

// predictFromProba is Predict for the classifiers whose labels follow from
// their probabilities (see labelsFromProba).
func predictFromProba(c persistent, x [][]float32) (dataset.Labels, error) {
	p, err := c.PredictProba(x)
	if err != nil {
		return dataset.Labels{}, err
	}
	h := c.fitted()
	return labelsFromProba(p, h.NumClasses, h.Multi), nil
}

// save writes c's state to path atomically.
func save(c persistent, path string) error {
	state, err := c.encodeState()
	if err != nil {
		return fmt.Errorf("classify: save %s: %w", path, err)
	}
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(state); err != nil {
		return fmt.Errorf("classify: save %s: encoding %s: %w", path, c.kind(), err)
	}
	env := envelope{Magic: fileMagic, Version: fileVersion, Kind: c.kind(), Body: body.Bytes()}
	return atomicfile.Write(path, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(env)
	})
}

// Load reads a classifier saved by any classifier's Save, whatever its kind.
func Load(path string) (Classifier, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	defer f.Close()
	var env envelope
	if err := gob.NewDecoder(f).Decode(&env); err != nil || env.Magic != fileMagic {
		return nil, fmt.Errorf("classify: load %s: not a saved classifier (%v): %w", path, err, ErrInput)
	}
	if env.Version != fileVersion {
		return nil, fmt.Errorf("classify: load %s: format version %d, this code reads %d: %w", path, env.Version, fileVersion, ErrInput)
	}
	mk, ok := kinds[env.Kind]
	if !ok {
		return nil, fmt.Errorf("classify: load %s: unknown classifier kind %q: %w", path, env.Kind, ErrInput)
	}
	c := mk()
	if err := c.decodeState(gob.NewDecoder(bytes.NewReader(env.Body))); err != nil {
		return nil, fmt.Errorf("classify: load %s: decoding %s: %w", path, env.Kind, err)
	}
	return c, nil
}

// MustLoad is Load for notebooks: it panics on error.
func MustLoad(path string) Classifier {
	c, err := Load(path)
	if err != nil {
		panic(err)
	}
	return c
}
