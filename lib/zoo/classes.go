package zoo

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"strings"
	"unicode"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

// Activation says how a model's own class outputs (ClassHead.Layer) become
// scores in [0, 1]: the `activation` key of an external model's config.
type Activation string

// The activations. BirdNET's classifier is multi-label and its outputs are
// logits: sigmoid. A single-label model's logits take softmax; a model that
// exports probabilities already takes none.
const (
	// ActivationSigmoid scores each class on its own: 1 / (1 + e^-x). The
	// default of an external config's `activation`.
	ActivationSigmoid Activation = "sigmoid"
	// ActivationSoftmax scores the classes of a clip together: e^x_k / Σ_j
	// e^x_j, which sum to 1.
	ActivationSoftmax Activation = "softmax"
	// ActivationNone takes the outputs as scores; a value outside [0, 1] (or
	// NaN) is an error, since it means the outputs are logits.
	ActivationNone Activation = "none"
)

// Check returns an error unless a is one of the activations.
func (a Activation) Check() error {
	switch a {
	case ActivationSigmoid, ActivationSoftmax, ActivationNone:
		return nil
	}
	return fmt.Errorf("activation %q: want %s, %s or %s", string(a), ActivationSigmoid, ActivationSoftmax, ActivationNone)
}

// Apply returns the scores of rows of class outputs (one row per clip), as new
// slices: sigmoid per value, softmax per row (computed in float64 after
// subtracting the row's largest value, so large logits do not overflow), or
// the values themselves for none, checked to lie in [0, 1]. A NaN or ±Inf
// output is an error naming the clip, the class and the value, with every
// activation: softmax of an infinite logit is NaN (∞ − ∞), and rather than
// define +Inf as a score of 1 for some activations only, a model that
// overflows is reported. This is the one place a model's outputs become
// scores.
func (a Activation) Apply(outputs [][]float32) ([][]float32, error) {
	if err := a.Check(); err != nil {
		return nil, fmt.Errorf("zoo: %w", err)
	}
	scores := make([][]float32, len(outputs))
	for i, row := range outputs {
		out := make([]float32, len(row))
		for k, x := range row {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, &OutputError{Clip: i, Class: k, Value: x, Why: "a model's outputs must be finite (an infinite logit is an overflow in the model, and softmax of it is undefined)"}
			}
		}
		switch a {
		case ActivationSigmoid:
			for k, x := range row {
				out[k] = float32(1 / (1 + math.Exp(-float64(x))))
			}
		case ActivationSoftmax:
			peak := math.Inf(-1)
			for _, x := range row {
				peak = max(peak, float64(x))
			}
			sum := 0.0
			for _, x := range row {
				sum += math.Exp(float64(x) - peak)
			}
			for k, x := range row {
				out[k] = float32(math.Exp(float64(x)-peak) / sum)
			}
		case ActivationNone:
			for k, x := range row {
				if x < 0 || x > 1 {
					return nil, &OutputError{Clip: i, Class: k, Value: x, Why: fmt.Sprintf("outside [0, 1]: with activation = %s the outputs must be scores already (are they logits? then sigmoid or softmax)", ActivationNone)}
				}
				out[k] = x
			}
		}
		scores[i] = out
	}
	return scores, nil
}

// OutputError is Activation.Apply's error for a class output it cannot
// score: Clip and Class index the rows and values given, so that a caller can
// name the window and the class (analyze does).
type OutputError struct {
	Clip, Class int
	Value       float32
	Why         string
}

func (e *OutputError) Error() string {
	return fmt.Sprintf("zoo: class output %d of clip %d is %g: %s", e.Class, e.Clip, e.Value, e.Why)
}

// ClassHead is a model's own classifier: the layer (an EmbedOptions.Layer)
// whose values are its per-class outputs, the classes in the order of those
// values, and the activation that turns them into scores. An external model
// has one when its config gives `classes` and `scores`.
type ClassHead struct {
	Layer      string
	Classes    []string
	Activation Activation
	// Pooling pools the layer's time and frequency axes, when it has them,
	// before the activation (an external config's scores_pooling).
	Pooling cnn.Pooling
	// Digest is the hex SHA-256 of what the scores depend on: the ONNX file's
	// bytes, the config's settings (with the scores value and the activation,
	// without file names or prose) and the class list. A result stored under
	// one digest is never served for another.
	Digest string
}

// Scores returns the scores of rows of the head's layer values, one row per
// clip: each row is checked to hold one value per class, then the activation
// is applied (Activation.Apply).
func (h ClassHead) Scores(outputs [][]float32) ([][]float32, error) {
	for i, row := range outputs {
		if len(row) != len(h.Classes) {
			return nil, fmt.Errorf("zoo: clip %d: layer %q gives %d values for %d classes", i, h.Layer, len(row), len(h.Classes))
		}
	}
	return h.Activation.Apply(outputs)
}

// classHeadModel is a model that may have its own classifier.
type classHeadModel interface {
	ClassHead() (ClassHead, bool)
	// checkClassHead reports a head that cannot score (its layer's width is
	// not the number of classes), checked on first use.
	checkClassHead() error
}

// ClassHeadOf returns m's own classifier, or an error naming the model when it
// has none or when its layer does not give one value per class (checked on
// the first call, by running a silent clip through that layer) (the shipped models, whose pretraining heads are not offered as
// classifiers; an external model without `classes` and `scores` in its
// config).
func ClassHeadOf(m Model) (ClassHead, error) {
	if hm, ok := m.(classHeadModel); ok {
		if h, ok := hm.ClassHead(); ok {
			if err := hm.checkClassHead(); err != nil {
				return ClassHead{}, err
			}
			return h, nil
		}
	}
	return ClassHead{}, fmt.Errorf("zoo: model %s has no class outputs of its own (an external model's config gives them with the keys classes, scores and activation)", m.Info().Name)
}

// ClassScores returns one row of class scores per clip from a model with its
// own classifier (ClassHeadOf): Embed reads the head's layer (o.Layer and
// o.Pooling are set to the head's, which pools the value's time or frequency
// axes when it keeps them) and
// the head's activation turns the values into scores. Clips are as for Embed.
func ClassScores(m Model, clips [][]float32, sampleRateHz int, o EmbedOptions) ([][]float32, error) {
	h, err := ClassHeadOf(m)
	if err != nil {
		return nil, err
	}
	o.Layer, o.Pooling = h.Layer, h.Pooling
	outputs, err := m.Embed(clips, sampleRateHz, o)
	if err != nil {
		return nil, err
	}
	return h.Scores(outputs)
}

// ReadClassList reads a class list: one class name per line, as BirdNET's
// labels file, with surrounding spaces, a trailing '\r' and a leading UTF-8
// byte order mark dropped. Blank lines at the end are ignored; an empty list,
// a blank line before the last name, a name with a tab or another control
// character (it would break the tab-separated tables), and a name given twice
// are errors naming the file and the line.
func ReadClassList(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("zoo: class list: %w", err)
	}
	var classes []string
	firstLine := map[string]int{}
	blank := 0 // the first blank line not yet followed by a name
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		name := strings.TrimSpace(sc.Text())
		if name == "" {
			if blank == 0 {
				blank = line
			}
			continue
		}
		if blank > 0 {
			return nil, fmt.Errorf("zoo: class list %s:%d: blank line before the class on line %d (one class per line, none empty)", path, blank, line)
		}
		if strings.ContainsFunc(name, unicode.IsControl) {
			return nil, fmt.Errorf("zoo: class list %s:%d: %q holds a tab or another control character", path, line, name)
		}
		if prev, dup := firstLine[name]; dup {
			return nil, fmt.Errorf("zoo: class list %s:%d: %q given twice (first on line %d)", path, line, name, prev)
		}
		firstLine[name] = line
		classes = append(classes, name)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("zoo: class list %s: %w", path, err)
	}
	if len(classes) == 0 {
		return nil, fmt.Errorf("zoo: class list %s: no classes (want one class name per line)", path)
	}
	return classes, nil
}
