package zoo

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// Info describes a model: what it expects as input and what it gives back.
type Info struct {
	// Name is the model's registered name, e.g. "birds-resnet-v1".
	Name string
	// Description says in a sentence or two what the model is and what it is for.
	Description string
	// SampleRateHz is the sample rate the model's clips must have, in Hz.
	SampleRateHz int
	// ClipSeconds is the clip length the model embeds, in seconds; shorter clips
	// are padded with zeros, longer ones are rejected.
	ClipSeconds float64
	// Spectrogram describes the front end that turns a clip into the network's
	// input.
	Spectrogram SpectrogramInfo
	// EmbeddingSize is the length of the default embedding (Layer "").
	EmbeddingSize int
	// Layers names the layers Embed can read from (EmbedOptions.Layer), from the
	// input side to the embedding; the last one is the default.
	Layers []string
	// Classes are the classes of the model's pretraining head, in output order.
	Classes []string
	// ScoresValue is the ONNX value an external model's layer "scores" reads
	// (its config's `scores`; "" for other models): archive.Settings names it,
	// since the embedding digest leaves the class head out.
	ScoresValue string
	// TrainingData says what the model was trained on.
	TrainingData string
	// Licence is the licence of the weights.
	Licence string
	// Digest identifies the weights (hex SHA-256 of the weight files); caches key
	// on it so that new weights never serve stale embeddings.
	Digest string
}

// ClipSamples is the longest clip the model embeds, in samples at SampleRateHz
// (ClipSeconds·SampleRateHz, rounded).
func (info Info) ClipSamples() int {
	return int(math.Round(info.ClipSeconds * float64(info.SampleRateHz)))
}

// CheckClipLength is the one clip-length rule of the zoo: a clip of n samples
// at SampleRateHz is embedded (zero-padded) when it is at most ClipSamples
// long and refused otherwise, with an error that gives both lengths. Every
// Model's Embed applies it after AtModelRate, and lib/embed before it calls a
// model, to name the clip's file.
func (info Info) CheckClipLength(n int) error {
	if limit := info.ClipSamples(); n > limit {
		return fmt.Errorf("%d samples (%.4g s), more than %d (model %s's %g s clips at %d Hz)",
			n, float64(n)/float64(info.SampleRateHz), limit, info.Name, info.ClipSeconds, info.SampleRateHz)
	}
	return nil
}

// checkClipLengths applies CheckClipLength to every clip, naming the first that
// fails by its index.
func checkClipLengths(info Info, clips [][]float32) error {
	for i, clip := range clips {
		if err := info.CheckClipLength(len(clip)); err != nil {
			return fmt.Errorf("zoo: %s: clip %d: %w", info.Name, i, err)
		}
	}
	return nil
}

// SpectrogramInfo describes a model's spectrogram front end.
type SpectrogramInfo struct {
	// NFFT is the FFT length in samples, HopLength the step between frames in
	// samples, NumMels the number of mel bands (0: a linear-frequency spectrogram).
	NFFT, HopLength, NumMels int
	// FMinHz and FMaxHz bound the mel filterbank, in Hz.
	FMinHz, FMaxHz float64
	// Level is the front end's brightness rule and FloorDBFS its absolute floor
	// (spectro.FrontEndOptions): spectro.LevelPeak scales each clip to its own
	// peak (birds-v1's rule), spectro.LevelFloor keeps near-silence near-black.
	// For FromONNX, "" takes the front end's default (LevelFloor): set it to the
	// rule the imported model was trained with.
	Level     spectro.Level
	FloorDBFS float64
	// Scale says how values are scaled, e.g. "dB, floor -80 dB, then per-clip standardised".
	Scale string
}

// EmbedOptions configures Model.Embed: the layer to read (one of Info.Layers;
// "" is the embedding), its pooling over time and frequency
// [cnn.MeanPooling], training mode (dropout on, seeded by Seed; off by
// default: inference is deterministic) and the batch size [32]. It is
// lib/cnn's type under the name a notebook reaches for: every model of the zoo
// reads its embeddings the same way, with no translation between packages.
type EmbedOptions = cnn.EmbedOptions

// Model is a pretrained feature extractor.
type Model interface {
	// Info describes the model.
	Info() Info
	// Embed returns one embedding per clip. Each clip holds mono samples at
	// sampleRateHz, at most Info().ClipSeconds long. Clips at another rate than
	// Info().SampleRateHz are resampled to it (lib/audio's resampler) before
	// anything else; a model that cannot do so must refuse them with an error,
	// never read them as if they were at its own rate.
	Embed(clips [][]float32, sampleRateHz int, o EmbedOptions) ([][]float32, error)
}

// AtModelRate returns clips sampled at sampleRateHz converted to info's rate
// with audio.Resample (the clips themselves when the rates agree): what every
// Model's Embed does first. A rate ≤ 0 is an error naming the model.
func AtModelRate(info Info, clips [][]float32, sampleRateHz int) ([][]float32, error) {
	if sampleRateHz <= 0 {
		return nil, fmt.Errorf("zoo: %s: clips at %d Hz: want the clips' sample rate (> 0; the model's is %d Hz)", info.Name, sampleRateHz, info.SampleRateHz)
	}
	if sampleRateHz == info.SampleRateHz {
		return clips, nil
	}
	out := make([][]float32, len(clips))
	for i, c := range clips {
		r, err := audio.Resample(c, sampleRateHz, info.SampleRateHz)
		if err != nil {
			return nil, fmt.Errorf("zoo: %s: clip %d from %d Hz to %d Hz: %w", info.Name, i, sampleRateHz, info.SampleRateHz, err)
		}
		out[i] = r
	}
	return out, nil
}

// Loader builds a registered model.
type Loader func() (Model, error)

var (
	registryMu sync.Mutex
	registry   = map[string]registered{}
)

type registered struct {
	description string
	load        Loader
}

// Register adds a model under name; packages call it from init. It panics on a
// duplicate name, a programming error.
func Register(name, description string, load Loader) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("zoo: model %q registered twice", name))
	}
	registry[name] = registered{description, load}
}

// Entry is one line of List.
type Entry struct {
	// Name is what Load takes; Description says what the model is.
	Name, Description string
}

// List returns the registered models, sorted by name.
func List() []Entry {
	registerFromEnv() // its errors surface in Load and Resolve
	registryMu.Lock()
	defer registryMu.Unlock()
	entries := make([]Entry, 0, len(registry))
	for name, r := range registry {
		entries = append(entries, Entry{name, r.description})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries
}

// Load builds the model registered under name; name may also be the path of an
// external model's config (see ExternalConfig), which is registered.
func Load(name string) (Model, error) {
	name, err := Resolve(name)
	if err != nil {
		return nil, err
	}
	registryMu.Lock()
	r := registry[name]
	registryMu.Unlock()
	m, err := r.load()
	if err != nil {
		return nil, fmt.Errorf("zoo: load %q: %w", name, err)
	}
	return m, nil
}

// MustLoad is Load that panics on error, for notebooks.
func MustLoad(name string) Model {
	m, err := Load(name)
	if err != nil {
		panic(err)
	}
	return m
}
