package zoo

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// ExternalConfig describes an external model: an ONNX file and what it expects,
// read from a small text file (conventionally NAME.model) so that a model
// exported elsewhere (BirdNET, Perch, your own) is a zoo entry like the shipped
// ones. The format, one `key = value` per line, `#` starts a comment, blank
// lines are ignored, keys in any order, each at most once:
//
//	# Perch-like: waveform in, embedding out.
//	name           = perch-like          # required; letters, digits, . _ -
//	onnx           = perch.onnx          # required; relative to this file's folder
//	sample_rate_hz = 32000               # required, Hz
//	clip_seconds   = 5                   # required, seconds
//	input          = waveform            # required: waveform ([batch, samples]) or spectrogram
//	embedding      = embedding           # required: the ONNX value read as the embedding
//	input_name     = inputs              # the ONNX input that takes the clips [the only one]
//	embedding_size = 1280                # checked at load [measured]
//	pooling        = mean                # mean or max over a value's time/frequency axes [mean]
//	layout         = channels_first      # or channels_last: where the values' channels are [channels_first]
//	layer.logits   = logits              # more layers: EmbedOptions.Layer "logits" reads ONNX value "logits"
//	scores         = logits              # the ONNX value of the model's own class outputs (see below)
//	classes        = labels.txt          # their class names, one a line; relative to this file's folder
//	activation     = sigmoid             # sigmoid, softmax or none: how outputs become scores [sigmoid]
//	scores_pooling = max                 # max or mean over the scores value's time axes [max]
//	description    = a Perch-style export
//	training_data  = what it was trained on
//	licence        = the weights' licence
//
// A spectrogram model takes lib/spectro's FrontEnd image (dB mel power in [0,
// 1], [time, mel]) made with these keys (FrontEnd defaults where absent):
//
//	nfft = 1024
//	hop = 512
//	mels = 64
//	fmin_hz = 500
//	fmax_hz = 11025
//	level = floor                        # floor or peak (spectro.Level)
//	floor_dbfs = -80
//	frequency_first = false              # the input is [mel, time] [detected when unambiguous]
//
// Pooling applies to the embedding value when it keeps time or frequency axes
// ([batch, channels, time, mel]); a [batch, features] value is taken as it is.
// Layers other than the embedding pool as EmbedOptions.Pooling says.
//
// A model with its own classifier (BirdNET's species logits, Perch's) gives
// `scores` and `classes` together, and `activation` with them: the model's
// ClassHead (ClassHeadOf, ClassScores; `dawnchorus analyze -model-scores`
// runs it over an archive). `scores` is read as the layer "scores" (so
// `layer.scores` may not be given too), one value per class after pooling;
// `classes` is a text file with one class name per line in the order of those
// values (ReadClassList: no duplicates, no blank names), and ClassHeadOf
// refuses a list whose length is not the value's width (checked on first
// use). `activation` turns the values into scores in [0, 1] (Activation): sigmoid, the default, for
// independent logits (BirdNET); softmax for one class per clip; none for
// outputs that are probabilities already. A scores value with time (or
// frequency) axes, frame-level outputs, is pooled over them before the
// activation, as `scores_pooling` says: max, the default, keeps a call that
// fills a few frames of the clip (for sigmoid, max commutes with the
// activation: the score of the loudest frame, since sigmoid increases); mean
// averages the outputs, which drowns a short call in the silent frames. A
// [batch, classes] value is taken as it is. A BirdNET export:
//
//	name = birdnet
//	onnx = BirdNET_GLOBAL_6K_V2.4.onnx
//	sample_rate_hz = 48000
//	clip_seconds = 3
//	input = waveform
//	embedding = embeddings               # the ONNX value names of your export
//	scores = logits
//	classes = BirdNET_GLOBAL_6K_V2.4_Labels.txt
//	activation = sigmoid
type ExternalConfig struct {
	// Path is the config file the values came from ("" when parsed from a reader
	// without one); ONNXPath is relative to its folder.
	Path     string
	Name     string
	ONNXPath string
	Input    InputKind
	// InputName, Embedding and Layers name ONNX values (Layers: layer name →
	// value).
	InputName, Embedding string
	Layers               map[string]string
	// Scores names the ONNX value of the model's own class outputs, ClassesPath
	// the class list (relative to the config's folder, as ONNXPath) and
	// Activation how the outputs become scores (ActivationSigmoid when the
	// config does not say); all empty for a model without its own classifier.
	Scores, ClassesPath string
	Activation          Activation
	// ScoresPooling pools the scores value over its time and frequency axes
	// before the activation. ParseExternalConfig sets cnn.MaxPooling when the
	// config gives scores and not scores_pooling; a config built in Go gets
	// the zero value, cnn.MeanPooling (as Pooling's zero), so set MaxPooling
	// there for the config file's default.
	ScoresPooling  cnn.Pooling
	SampleRateHz   int
	ClipSeconds    float64
	EmbeddingSize  int
	Pooling        cnn.Pooling
	ChannelsLast   bool
	FrequencyFirst bool
	Spectrogram    SpectrogramInfo
	Description    string
	TrainingData   string
	Licence        string
}

// ExternalEmbedding is the layer name of an external model's embedding (its
// last and default layer).
const ExternalEmbedding = "embedding"

// ExternalScores is the layer name of an external model's own class outputs
// (the config's `scores` value).
const ExternalScores = "scores"

var externalName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ReadExternalConfig reads the config file at path.
func ReadExternalConfig(path string) (ExternalConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ExternalConfig{}, fmt.Errorf("zoo: external model: %w", err)
	}
	return ParseExternalConfig(path, bytes.NewReader(data))
}

// ParseExternalConfig parses a config (the format of ExternalConfig) from r;
// path names it in errors and is where the ONNX path is relative to. Errors
// say the file, the line and the key.
func ParseExternalConfig(path string, r io.Reader) (ExternalConfig, error) {
	c := ExternalConfig{Path: path, Layers: map[string]string{}}
	seen := map[string]int{}
	fail := func(line int, key, format string, args ...any) (ExternalConfig, error) {
		where := path
		if line > 0 {
			where = fmt.Sprintf("%s:%d", path, line)
		}
		if key != "" {
			where += ": " + key
		}
		return ExternalConfig{}, fmt.Errorf("zoo: external model %s: %s", where, fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	input := ""
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		key, value, ok := strings.Cut(text, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "license" {
			key = "licence" // either spelling, once
		}
		if !ok || key == "" {
			return fail(line, "", "want `key = value`, got %q", text)
		}
		if prev, dup := seen[key]; dup {
			return fail(line, key, "given twice (first on line %d)", prev)
		}
		seen[key] = line
		if value == "" {
			return fail(line, key, "no value")
		}
		var err error
		positiveInt := func() int {
			n, e := strconv.Atoi(value)
			if e != nil || n <= 0 {
				err = fmt.Errorf("want a whole number > 0, got %q", value)
			}
			return n
		}
		float := func(positive bool) float64 {
			f, e := strconv.ParseFloat(value, 64)
			if e != nil || math.IsNaN(f) || math.IsInf(f, 0) || (positive && f <= 0) {
				want := "a number"
				if positive {
					want = "a number > 0"
				}
				err = fmt.Errorf("want %s, got %q", want, value)
			}
			return f
		}
		// pooling reads mean or max; its error names the key's default (def) first.
		pooling := func(def cnn.Pooling) cnn.Pooling {
			switch value {
			case "mean":
				return cnn.MeanPooling
			case "max":
				return cnn.MaxPooling
			}
			other := cnn.MaxPooling
			if def == cnn.MaxPooling {
				other = cnn.MeanPooling
			}
			err = fmt.Errorf("want %s or %s, got %q", def, other, value)
			return def
		}
		boolean := func() bool {
			b, e := strconv.ParseBool(value)
			if e != nil {
				err = fmt.Errorf("want true or false, got %q", value)
			}
			return b
		}
		switch {
		case key == "name":
			if !externalName.MatchString(value) {
				err = fmt.Errorf("%q: want letters, digits, '.', '_' or '-', starting with a letter or digit", value)
			}
			c.Name = value
		case key == "onnx":
			c.ONNXPath = value
		case key == "input":
			input = value
			switch value {
			case "waveform":
				c.Input = InputWaveform
			case "spectrogram":
				c.Input = InputImage
			default:
				err = fmt.Errorf("want waveform or spectrogram, got %q", value)
			}
		case key == "input_name":
			c.InputName = value
		case key == "embedding":
			c.Embedding = value
		case key == "scores":
			c.Scores = value
		case key == "classes":
			c.ClassesPath = value
		case key == "activation":
			c.Activation = Activation(value)
			err = c.Activation.Check()
		case strings.HasPrefix(key, "layer."):
			layer := strings.TrimPrefix(key, "layer.")
			if !externalName.MatchString(layer) || layer == ExternalEmbedding {
				err = fmt.Errorf("layer name %q: want letters, digits, '.', '_' or '-', not %q (that is the embedding key)", layer, ExternalEmbedding)
			}
			c.Layers[layer] = value
		case key == "sample_rate_hz":
			c.SampleRateHz = positiveInt()
		case key == "clip_seconds":
			c.ClipSeconds = float(true)
		case key == "embedding_size":
			c.EmbeddingSize = positiveInt()
		case key == "pooling":
			c.Pooling = pooling(cnn.MeanPooling)
		case key == "scores_pooling":
			c.ScoresPooling = pooling(cnn.MaxPooling)
		case key == "layout":
			switch value {
			case "channels_first":
				c.ChannelsLast = false
			case "channels_last":
				c.ChannelsLast = true
			default:
				err = fmt.Errorf("want channels_first or channels_last, got %q", value)
			}
		case key == "frequency_first":
			c.FrequencyFirst = boolean()
		case key == "nfft":
			c.Spectrogram.NFFT = positiveInt()
		case key == "hop":
			c.Spectrogram.HopLength = positiveInt()
		case key == "mels":
			c.Spectrogram.NumMels = positiveInt()
		case key == "fmin_hz":
			c.Spectrogram.FMinHz = float(false)
			if err == nil && c.Spectrogram.FMinHz < 0 {
				err = fmt.Errorf("want a number ≥ 0, got %q", value)
			}
		case key == "fmax_hz":
			c.Spectrogram.FMaxHz = float(true)
		case key == "level":
			switch spectro.Level(value) {
			case spectro.LevelFloor, spectro.LevelPeak:
				c.Spectrogram.Level = spectro.Level(value)
			default:
				err = fmt.Errorf("want %s or %s, got %q", spectro.LevelFloor, spectro.LevelPeak, value)
			}
		case key == "floor_dbfs":
			c.Spectrogram.FloorDBFS = float(false)
		case key == "description":
			c.Description = value
		case key == "training_data":
			c.TrainingData = value
		case key == "licence":
			c.Licence = value
		default:
			return fail(line, key, "unknown key (known: name, onnx, sample_rate_hz, clip_seconds, input, embedding, scores, classes, activation, scores_pooling, input_name, embedding_size, pooling, layout, layer.NAME, nfft, hop, mels, fmin_hz, fmax_hz, level, floor_dbfs, frequency_first, description, training_data, licence)")
		}
		if err != nil {
			return fail(line, key, "%v", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fail(line+1, "", "%v", err)
	}
	for _, key := range []string{"name", "onnx", "sample_rate_hz", "clip_seconds", "input", "embedding"} {
		if _, ok := seen[key]; !ok {
			return fail(0, key, "missing (required: name, onnx, sample_rate_hz, clip_seconds, input, embedding)")
		}
	}
	_, hasScores := seen["scores"]
	_, hasClasses := seen["classes"]
	switch {
	case hasScores && !hasClasses:
		return fail(seen["scores"], "scores", "no classes key: a model's own class outputs need their names (classes = a file with one class name per line)")
	case hasClasses && !hasScores:
		return fail(seen["classes"], "classes", "no scores key: name the ONNX value of the model's class outputs (scores = VALUE)")
	case !hasScores && seen["activation"] > 0:
		return fail(seen["activation"], "activation", "no scores key: the activation applies to the model's own class outputs (scores = VALUE)")
	case !hasScores && seen["scores_pooling"] > 0:
		return fail(seen["scores_pooling"], "scores_pooling", "no scores key: the pooling applies to the model's own class outputs (scores = VALUE)")
	case hasScores && seen["layer."+ExternalScores] > 0:
		return fail(seen["layer."+ExternalScores], "layer."+ExternalScores, "the scores key names the layer %q already", ExternalScores)
	}
	if hasScores && c.Activation == "" {
		c.Activation = ActivationSigmoid
	}
	if hasScores && seen["scores_pooling"] == 0 {
		c.ScoresPooling = cnn.MaxPooling
	}
	if input == "waveform" {
		for _, key := range []string{"nfft", "hop", "mels", "fmin_hz", "fmax_hz", "level", "floor_dbfs", "frequency_first"} {
			if l, ok := seen[key]; ok {
				return fail(l, key, "a waveform model has no front end here: this key is for input = spectrogram")
			}
		}
	}
	if c.Spectrogram.FMaxHz > 0 && c.Spectrogram.FMinHz >= c.Spectrogram.FMaxHz {
		return fail(seen["fmax_hz"], "fmax_hz", "%g Hz is not above fmin_hz %g Hz", c.Spectrogram.FMaxHz, c.Spectrogram.FMinHz)
	}
	return c, nil
}

// String writes the config in its file format (ParseExternalConfig reads it
// back to the same values, Path aside).
func (c ExternalConfig) String() string {
	var b strings.Builder
	kv := func(k string, v any) { fmt.Fprintf(&b, "%s = %v\n", k, v) }
	kv("name", c.Name)
	kv("onnx", c.ONNXPath)
	kv("sample_rate_hz", c.SampleRateHz)
	kv("clip_seconds", strconv.FormatFloat(c.ClipSeconds, 'g', -1, 64))
	if c.Input == InputWaveform {
		kv("input", "waveform")
	} else {
		kv("input", "spectrogram")
	}
	kv("embedding", c.Embedding)
	if c.Scores != "" {
		kv("scores", c.Scores)
	}
	if c.ClassesPath != "" {
		kv("classes", c.ClassesPath)
	}
	if c.Activation != "" {
		kv("activation", c.Activation)
	}
	if c.Scores != "" {
		kv("scores_pooling", c.ScoresPooling)
	}
	if c.InputName != "" {
		kv("input_name", c.InputName)
	}
	if c.EmbeddingSize > 0 {
		kv("embedding_size", c.EmbeddingSize)
	}
	kv("pooling", c.Pooling)
	if c.ChannelsLast {
		kv("layout", "channels_last")
	} else {
		kv("layout", "channels_first")
	}
	layers := make([]string, 0, len(c.Layers))
	for l := range c.Layers {
		layers = append(layers, l)
	}
	sort.Strings(layers)
	for _, l := range layers {
		kv("layer."+l, c.Layers[l])
	}
	if c.Input == InputImage {
		s := c.Spectrogram
		for _, p := range []struct {
			k string
			v int
		}{{"nfft", s.NFFT}, {"hop", s.HopLength}, {"mels", s.NumMels}} {
			if p.v > 0 {
				kv(p.k, p.v)
			}
		}
		if s.FMinHz != 0 {
			kv("fmin_hz", strconv.FormatFloat(s.FMinHz, 'g', -1, 64))
		}
		if s.FMaxHz != 0 {
			kv("fmax_hz", strconv.FormatFloat(s.FMaxHz, 'g', -1, 64))
		}
		if s.Level != "" {
			kv("level", s.Level)
		}
		if s.FloorDBFS != 0 {
			kv("floor_dbfs", strconv.FormatFloat(s.FloorDBFS, 'g', -1, 64))
		}
		if c.FrequencyFirst {
			kv("frequency_first", true)
		}
	}
	for _, p := range [][2]string{{"description", c.Description}, {"training_data", c.TrainingData}, {"licence", c.Licence}} {
		if v := strings.TrimSpace(strings.ReplaceAll(p[1], "\n", " ")); v != "" && !strings.Contains(v, "#") {
			kv(p[0], v)
		}
	}
	return b.String()
}

// ONNXFile is the ONNX file's path: ONNXPath relative to the config's folder
// (as it is when absolute).
func (c ExternalConfig) ONNXFile() string {
	if filepath.IsAbs(c.ONNXPath) || c.Path == "" {
		return c.ONNXPath
	}
	return filepath.Join(filepath.Dir(c.Path), c.ONNXPath)
}

// ClassesFile is the class list's path: ClassesPath relative to the config's
// folder (as it is when absolute; "" when the config has none).
func (c ExternalConfig) ClassesFile() string {
	if c.ClassesPath == "" || filepath.IsAbs(c.ClassesPath) || c.Path == "" {
		return c.ClassesPath
	}
	return filepath.Join(filepath.Dir(c.Path), c.ClassesPath)
}

// ExternalModel is a model loaded from an ExternalConfig: its ONNX graph run
// by FromONNX, with the config's pooling for the embedding.
type ExternalModel struct {
	*ONNXModel
	Config ExternalConfig
	// head is the model's own classifier, when the config gives one; its
	// width is checked on first use (checkClassHead), so that embed and
	// search do not compile the scores layer's graph.
	head      *ClassHead
	headOnce  sync.Once
	headCheck error
}

// checkClassHead checks, once, that the scores value gives one value per
// class, measured on a silent clip: ClassHeadOf calls it.
func (m *ExternalModel) checkClassHead() error {
	if m.head == nil {
		return nil
	}
	m.headOnce.Do(func() {
		c := m.Config
		probe, err := m.Embed([][]float32{nil}, c.SampleRateHz, EmbedOptions{Layer: ExternalScores, Pooling: m.head.Pooling, BatchSize: 1})
		if err != nil {
			m.headCheck = fmt.Errorf("zoo: external model %s: scores value %q: %w", c.Name, c.Scores, err)
			return
		}
		if len(probe[0]) != len(m.head.Classes) {
			m.headCheck = fmt.Errorf("zoo: external model %s (%s): the class list %s has %d classes, but the scores value %q of %s gives %d values per clip",
				c.Name, c.Path, c.ClassesFile(), len(m.head.Classes), c.Scores, c.ONNXFile(), len(probe[0]))
		}
	})
	return m.headCheck
}

// ClassHead returns the model's own classifier and true when its config gives
// `scores` and `classes`; ClassHeadOf and ClassScores use it.
func (m *ExternalModel) ClassHead() (ClassHead, bool) {
	if m.head == nil {
		return ClassHead{}, false
	}
	h := *m.head
	h.Classes = append([]string(nil), h.Classes...)
	return h, true
}

// LoadExternal loads the model a config describes. Its Info's Layers are the
// config's extra layers (sorted) then "embedding"; Digest covers the ONNX file
// and the config's settings that change embeddings (not its name, paths or
// prose), so a changed pooling or front end never serves cached embeddings of
// the old one, and a config moved elsewhere still matches its database. A
// config with `scores` and `classes` gives the model a ClassHead: the class
// list is read (ReadClassList) here, and its length checked against the
// scores value's width on first use (ClassHeadOf), so that loading the model
// for its embeddings does not pay for the scores layer's graph.
func LoadExternal(c ExternalConfig) (*ExternalModel, error) {
	data, err := os.ReadFile(c.ONNXFile())
	if err != nil {
		return nil, fmt.Errorf("zoo: external model %s (%s): %w", c.Name, c.Path, err)
	}
	var classes []string
	if c.Scores != "" {
		if classes, err = ReadClassList(c.ClassesFile()); err != nil {
			return nil, fmt.Errorf("zoo: external model %s (%s): %w", c.Name, c.Path, err)
		}
	}
	info := Info{
		Name: c.Name, Description: c.Description, SampleRateHz: c.SampleRateHz, ClipSeconds: c.ClipSeconds,
		Spectrogram: c.Spectrogram, EmbeddingSize: c.EmbeddingSize, TrainingData: c.TrainingData, Licence: c.Licence,
		Classes: classes, ScoresValue: c.Scores,
	}
	values := map[string]string{ExternalEmbedding: c.Embedding}
	for l, v := range c.Layers {
		info.Layers = append(info.Layers, l)
		values[l] = v
	}
	if c.Scores != "" {
		info.Layers = append(info.Layers, ExternalScores)
		values[ExternalScores] = c.Scores
	}
	sort.Strings(info.Layers)
	info.Layers = append(info.Layers, ExternalEmbedding)
	h := sha256.New()
	weights := sha256.Sum256(data)
	h.Write(weights[:])
	settings := c // what changes the embeddings; not where the files are, nor the prose
	settings.Path, settings.ONNXPath, settings.Name = "", "", ""
	settings.Description, settings.TrainingData, settings.Licence = "", "", ""
	// The class head (its value, class list, activation) does not change the
	// embeddings: adding it keeps detectors trained on the model and the
	// database's windows (archive.Settings names the scores value instead).
	settings.Scores, settings.ClassesPath, settings.Activation, settings.ScoresPooling = "", "", "", 0
	io.WriteString(h, settings.String())
	info.Digest = hex.EncodeToString(h.Sum(nil))

	o := ONNXOptions{InputName: c.InputName, FrequencyFirst: c.FrequencyFirst, ChannelsLast: c.ChannelsLast, LayerValues: values}
	pooling := c.Pooling
	m, err := fromONNXBytes(data, c.ONNXFile(), info, o, &pooling)
	if err != nil {
		return nil, fmt.Errorf("zoo: external model %s: %w", c.Name, err)
	}
	if c.Input != m.Input() {
		kind := map[InputKind]string{InputWaveform: "waveform ([batch, samples])", InputImage: "spectrogram ([batch, time, mel] or with a channel axis)"}
		return nil, fmt.Errorf("zoo: external model %s: %s says input = %s, but %s's input %q is a %s", c.Name, c.Path, kind[c.Input], c.ONNXFile(), m.input, kind[m.Input()])
	}
	em := &ExternalModel{ONNXModel: m, Config: c}
	if c.Scores != "" {
		// The head's digest: the weights, every setting but file names and
		// prose (scores value, activation, scores_pooling, pooling, front
		// end), the classes.
		hh := sha256.New()
		hh.Write(weights[:])
		scoring := c
		scoring.Path, scoring.ONNXPath, scoring.ClassesPath, scoring.Name = "", "", "", ""
		scoring.Description, scoring.TrainingData, scoring.Licence = "", "", ""
		io.WriteString(hh, scoring.String())
		for _, class := range classes {
			io.WriteString(hh, "class = "+class+"\n")
		}
		em.head = &ClassHead{Layer: ExternalScores, Classes: classes, Activation: c.Activation, Pooling: c.ScoresPooling, Digest: hex.EncodeToString(hh.Sum(nil))}
	}
	return em, nil
}

// The registry of external models: config path → name, so that registering
// the same file twice is harmless and two files with one name are not.
var (
	externalMu    sync.Mutex
	externalPaths = map[string]string{}
	envOnce       sync.Once
	envErr        error
)

// ModelsEnv names the environment variable that lists external model configs
// to register: paths separated by the OS's list separator (':' on Unix), each a
// config file or a folder whose *.model files are read.
const ModelsEnv = "DAWNCHORUS_MODELS"

// RegisterExternal reads the config at path and registers its model under the
// config's name (loaded on first Load), returning the name. The same file again
// returns the same name; another file with a name already taken is an error.
func RegisterExternal(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("zoo: external model %s: %w", path, err)
	}
	externalMu.Lock()
	defer externalMu.Unlock()
	if name, ok := externalPaths[abs]; ok {
		return name, nil
	}
	c, err := ReadExternalConfig(path)
	if err != nil {
		return "", err
	}
	desc := c.Description
	if desc == "" {
		desc = "external ONNX model"
	}
	desc = fmt.Sprintf("%s (%s)", desc, path)
	registryMu.Lock()
	if _, dup := registry[c.Name]; dup {
		registryMu.Unlock()
		return "", fmt.Errorf("zoo: external model %s: the name %q is already taken by another model", path, c.Name)
	}
	registry[c.Name] = registered{desc, func() (Model, error) { return LoadExternal(c) }}
	registryMu.Unlock()
	externalPaths[abs] = c.Name
	return c.Name, nil
}

// registerFromEnv registers, once, the configs $DAWNCHORUS_MODELS lists; List
// and Load call it.
func registerFromEnv() error {
	envOnce.Do(func() {
		var errs []error
		for _, p := range filepath.SplitList(os.Getenv(ModelsEnv)) {
			if p == "" {
				continue
			}
			paths := []string{p}
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				paths, _ = filepath.Glob(filepath.Join(p, "*.model"))
			}
			for _, path := range paths {
				if _, err := RegisterExternal(path); err != nil {
					errs = append(errs, fmt.Errorf("$%s: %w", ModelsEnv, err))
				}
			}
		}
		envErr = errors.Join(errs...)
	})
	return envErr
}

// EnvModelsError returns what went wrong registering the configs
// $DAWNCHORUS_MODELS lists (nil when nothing did): List skips them silently,
// so a command that lists models reports it.
func EnvModelsError() error { return registerFromEnv() }

// Resolve returns the registered name that ref means: ref itself when a model
// has that name, else ref read as the path of an external model's config, which
// is registered.
func Resolve(ref string) (string, error) {
	envErr := registerFromEnv()
	registryMu.Lock()
	_, ok := registry[ref]
	registryMu.Unlock()
	if ok {
		return ref, nil
	}
	if _, err := os.Stat(ref); err == nil {
		return RegisterExternal(ref)
	}
	var names []string
	for _, e := range List() {
		names = append(names, e.Name)
	}
	err := fmt.Errorf("zoo: no model %q (have: %s; an external model: give its config file's path, or list it in $%s)", ref, strings.Join(names, ", "), ModelsEnv)
	if envErr != nil {
		err = fmt.Errorf("%w; and %w", err, envErr)
	}
	return "", err
}
