package zoo_test

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

func TestActivationApply(t *testing.T) {
	// Hand values: 1/(1+e^-2) = 0.8807971, 1/(1+e^3) = 0.0474259;
	// softmax(1, 2, 3) = (e^-2, e^-1, 1)/(e^-2 + e^-1 + 1) = 0.0900306, 0.2447285, 0.6652410.
	for _, tc := range []struct {
		name       string
		activation zoo.Activation
		outputs    [][]float32
		want       [][]float32
		wantErr    []string
	}{
		{"sigmoid", zoo.ActivationSigmoid, [][]float32{{0, 2, -3}, {}}, [][]float32{{0.5, 0.8807971, 0.0474259}, {}}, nil},
		{"sigmoid saturates", zoo.ActivationSigmoid, [][]float32{{1000, -1000}}, [][]float32{{1, 0}}, nil},
		{"softmax", zoo.ActivationSoftmax, [][]float32{{1, 2, 3}, {5, 5}}, [][]float32{{0.0900306, 0.2447285, 0.6652410}, {0.5, 0.5}}, nil},
		{"softmax of large logits", zoo.ActivationSoftmax, [][]float32{{1001, 1002, 1003}}, [][]float32{{0.0900306, 0.2447285, 0.6652410}}, nil},
		{"none", zoo.ActivationNone, [][]float32{{0, 0.25, 1}}, [][]float32{{0, 0.25, 1}}, nil},
		{"none with a logit", zoo.ActivationNone, [][]float32{{0.5}, {0.2, 1.5}}, nil, []string{"class output 1 of clip 1", "1.5", "outside [0, 1]", "logits"}},
		{"NaN", zoo.ActivationSigmoid, [][]float32{{float32(math.NaN())}}, nil, []string{"clip 0", "NaN"}},
		{"softmax of +Inf", zoo.ActivationSoftmax, [][]float32{{0, 1}, {float32(math.Inf(1)), 0}}, nil, []string{"class output 0 of clip 1", "+Inf", "finite"}},
		{"softmax of -Inf", zoo.ActivationSoftmax, [][]float32{{float32(math.Inf(-1)), float32(math.Inf(-1))}}, nil, []string{"class output 0 of clip 0", "-Inf", "finite"}},
		{"sigmoid of +Inf", zoo.ActivationSigmoid, [][]float32{{0, float32(math.Inf(1))}}, nil, []string{"class output 1 of clip 0", "+Inf"}},
		{"none of -Inf", zoo.ActivationNone, [][]float32{{float32(math.Inf(-1))}}, nil, []string{"clip 0", "-Inf"}},
		{"unknown", zoo.Activation("relu"), [][]float32{{1}}, nil, []string{`"relu"`, "sigmoid, softmax or none"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := make([][]float32, len(tc.outputs))
			for i, row := range tc.outputs {
				in[i] = append([]float32(nil), row...)
			}
			got, err := tc.activation.Apply(in)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("no error; scores %v", got)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d rows, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if len(got[i]) != len(tc.want[i]) {
					t.Fatalf("row %d: %d scores, want %d", i, len(got[i]), len(tc.want[i]))
				}
				for k := range got[i] {
					if math.Abs(float64(got[i][k]-tc.want[i][k])) > 1e-6 {
						t.Errorf("row %d class %d: %g, want %g", i, k, got[i][k], tc.want[i][k])
					}
					if in[i][k] != tc.outputs[i][k] {
						t.Errorf("Apply changed its input")
					}
				}
			}
		})
	}
}

func TestReadClassList(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text string
		want       []string
		wantErr    []string
	}{
		{"BirdNET style", "Turdus merula_Eurasian Blackbird\r\nErithacus rubecula_European Robin\n\n", []string{"Turdus merula_Eurasian Blackbird", "Erithacus rubecula_European Robin"}, nil},
		{"no final newline", " a \nb", []string{"a", "b"}, nil},
		{"byte order mark", "\ufeffa\nb\n", []string{"a", "b"}, nil},
		{"empty", "\n\n", nil, []string{"empty.txt", "no classes"}},
		{"duplicate", "a\nb\na\n", nil, []string{"duplicate.txt:3", `"a" given twice`, "line 1"}},
		{"blank inside", "a\n\nb\n", nil, []string{"blank-inside.txt:2", "line 3"}},
		{"tab", "a\tb\n", nil, []string{"tab.txt:1", "tab"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(strings.ToLower(tc.name), " ", "-")+".txt")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := zoo.ReadClassList(path)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("no error; classes %q", got)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("classes %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := zoo.ReadClassList(filepath.Join(dir, "nowhere.txt")); err == nil || !strings.Contains(err.Error(), "nowhere.txt") {
		t.Errorf("a missing list: %v", err)
	}
}

// tonesHz are the tone frequencies of testdata/tones.onnx (make_onnx_tones.py).
var tonesHz = []float64{1000, 2000, 3000}

// tonesLogits computes testdata/tones.onnx's "logits" for a 1 s clip at 16
// kHz from the formula in make_onnx_tones.py, in float64: per tone frequency
// F, the power of the DFT at F over frames of 160 samples, scaled by (2/160)²,
// its mean P over the frames, then 2 ln(P + 1e-4) + 3.
func tonesLogits(clip []float32) []float64 {
	const frame, rate = 160, 16000
	logits := make([]float64, len(tonesHz))
	for k, f := range tonesHz {
		sum := 0.0
		frames := 0
		for start := 0; start+frame <= len(clip); start += frame {
			var c, s float64
			for n := range frame {
				x := float64(clip[start+n])
				c += x * math.Cos(2*math.Pi*f*float64(n)/rate)
				s += x * math.Sin(2*math.Pi*f*float64(n)/rate)
			}
			sum += (c*c + s*s) * (2.0 / frame) * (2.0 / frame)
			frames++
		}
		logits[k] = 2*math.Log(sum/float64(frames)+1e-4) + 3
	}
	return logits
}

// toneClips draws clips of 1 s at 16 kHz: each of tones.onnx's tones at a
// random amplitude in [0.6, 0.9) (logit > 0 from 0.47) over quiet noise, then the noise alone, then
// two tones at once.
func toneClips(seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 0))
	var clips [][]float32
	for _, tones := range [][]int{{0}, {1}, {2}, {}, {0, 2}} {
		clip := make([]float32, 16000)
		for n := range clip {
			clip[n] = float32(0.01 * rng.NormFloat64())
		}
		for _, k := range tones {
			amp, phase := 0.6+0.3*rng.Float64(), 2*math.Pi*rng.Float64()
			for n := range clip {
				clip[n] += float32(amp * math.Sin(2*math.Pi*tonesHz[k]*float64(n)/16000+phase))
			}
		}
		clips = append(clips, clip)
	}
	return clips
}

const tonesConfig = `name = tones
onnx = tones.onnx
sample_rate_hz = 16000
clip_seconds = 1
input = waveform
embedding = embedding
`

// TestExternalClassHead loads testdata/tones.onnx with its own classifier and
// checks ClassScores against the closed-form logits with each activation, the
// class list's checks at load, and what the head's digest covers.
func TestExternalClassHead(t *testing.T) {
	dir := t.TempDir()
	classes := []string{"low tone", "mid tone", "high tone"}
	if err := os.WriteFile(filepath.Join(dir, "labels.txt"), []byte(strings.Join(classes, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "four.txt"), []byte("a\nb\nc\nd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clips := toneClips(17)
	sigmoid := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	want := map[zoo.Activation][][]float64{}
	for _, clip := range clips {
		logits := tonesLogits(clip)
		sig, soft := make([]float64, len(logits)), make([]float64, len(logits))
		sum := 0.0
		for k, l := range logits {
			sig[k] = sigmoid(l)
			sum += math.Exp(l)
		}
		for k, l := range logits {
			soft[k] = math.Exp(l) / sum
		}
		want[zoo.ActivationSigmoid] = append(want[zoo.ActivationSigmoid], sig)
		want[zoo.ActivationSoftmax] = append(want[zoo.ActivationSoftmax], soft)
	}
	// The formula itself: a tone's own class, and only it, scores above 0.5.
	for i, tones := range [][]int{{0}, {1}, {2}, {}, {0, 2}} {
		for k := range tonesHz {
			if on := want[zoo.ActivationSigmoid][i][k] > 0.5; on != (len(tones) > 0 && (tones[0] == k || tones[len(tones)-1] == k)) {
				t.Fatalf("clip %d (tones %v): the closed form scores class %d %.3g", i, tones, k, want[zoo.ActivationSigmoid][i][k])
			}
		}
	}

	digests := map[string]string{}
	for i, tc := range []struct {
		name, keys string
		want       zoo.Activation // the expected scores
	}{
		{"default sigmoid", "scores = logits\nclasses = labels.txt\n", zoo.ActivationSigmoid},
		{"sigmoid", "scores = logits\nclasses = labels.txt\nactivation = sigmoid\n", zoo.ActivationSigmoid},
		{"softmax", "scores = logits\nclasses = labels.txt\nactivation = softmax\n", zoo.ActivationSoftmax},
		{"none on probabilities", "scores = probs\nclasses = labels.txt\nactivation = none\n", zoo.ActivationSigmoid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The first by zoo.Load (registered under its path, once), the
			// others by LoadExternal.
			path := writeConfig(t, dir, "tones.onnx", "tones", tonesConfig+tc.keys)
			var m zoo.Model
			var err error
			if i == 0 {
				m, err = zoo.Load(path)
			} else {
				m, err = zoo.LoadExternal(mustParse(t, path))
			}
			if err != nil {
				t.Fatal(err)
			}
			h, err := zoo.ClassHeadOf(m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(h.Classes, "|") != strings.Join(classes, "|") || h.Layer != zoo.ExternalScores || strings.Join(m.Info().Classes, "|") != strings.Join(classes, "|") {
				t.Errorf("head %+v", h)
			}
			if !strings.Contains(strings.Join(m.Info().Layers, " "), zoo.ExternalScores) {
				t.Errorf("layers %v lack %q", m.Info().Layers, zoo.ExternalScores)
			}
			digests[tc.name] = h.Digest
			got, err := zoo.ClassScores(m, clips, 16000, zoo.EmbedOptions{BatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			for i := range clips {
				for k := range classes {
					if d := math.Abs(float64(got[i][k]) - want[tc.want][i][k]); d > 2e-4 {
						t.Errorf("clip %d class %d: %.6f, want %.6f", i, k, got[i][k], want[tc.want][i][k])
					}
				}
			}
		})
	}
	if digests["default sigmoid"] != digests["sigmoid"] || digests["sigmoid"] == digests["softmax"] || digests["sigmoid"] == digests["none on probabilities"] {
		t.Errorf("head digests %v: want one per activation and scores value, the default the same as sigmoid", digests)
	}

	// Another class list: another head digest, the same embedding digest.
	renamed := filepath.Join(dir, "renamed")
	if err := os.MkdirAll(renamed, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(renamed, "labels.txt"), []byte("low tone\nmid tone\nother\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := zoo.LoadExternal(mustParse(t, writeConfig(t, dir, "tones.onnx", "tones", tonesConfig+"scores = logits\nclasses = labels.txt\n")))
	if err != nil {
		t.Fatal(err)
	}
	other, err := zoo.LoadExternal(mustParse(t, writeConfig(t, renamed, "tones.onnx", "tones", tonesConfig+"scores = logits\nclasses = labels.txt\n")))
	if err != nil {
		t.Fatal(err)
	}
	bh, _ := base.ClassHead()
	oh, _ := other.ClassHead()
	if bh.Digest == oh.Digest || bh.Digest != digests["sigmoid"] {
		t.Errorf("head digest %s with other classes %s (want a change), %s before", bh.Digest, oh.Digest, digests["sigmoid"])
	}
	if base.Info().Digest != other.Info().Digest {
		t.Errorf("the class list changed the embedding digest: %s, %s", base.Info().Digest, other.Info().Digest)
	}

	// The head leaves the embedding digest alone: a detector trained on the
	// model's embeddings stays valid when `scores` is added.
	bare, err := zoo.LoadExternal(mustParse(t, writeConfig(t, dir, "tones.onnx", "tones", tonesConfig)))
	if err != nil {
		t.Fatal(err)
	}
	if bare.Info().Digest != base.Info().Digest {
		t.Errorf("adding the class head changed the embedding digest: %s without, %s with", bare.Info().Digest, base.Info().Digest)
	}

	// Refusals at load and at first use.
	for _, tc := range []struct {
		name, keys string
		wantErr    []string
	}{
		{"class count", "scores = logits\nclasses = four.txt\n", []string{"tones.model", "four.txt has 4 classes", `"logits"`, "tones.onnx gives 3 values"}},
		{"no class file", "scores = logits\nclasses = nowhere.txt\n", []string{"tones.model", "nowhere.txt", "no such file"}},
		{"no such value", "scores = nothing_here\nclasses = labels.txt\n", []string{"tones.onnx", `"nothing_here"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The class count is checked on first use (ClassHeadOf), the
			// files and values at load.
			m, err := zoo.LoadExternal(mustParse(t, writeConfig(t, dir, "tones.onnx", "tones", tonesConfig+tc.keys)))
			if err == nil {
				_, err = zoo.ClassHeadOf(m)
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}

	// A model without a classifier of its own.
	plain, err := zoo.LoadExternal(mustParse(t, writeConfig(t, dir, "tones.onnx", "tones", tonesConfig)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zoo.ClassScores(plain, clips[:1], 16000, zoo.EmbedOptions{}); err == nil || !strings.Contains(err.Error(), "tones has no class outputs") {
		t.Errorf("ClassScores without a head: %v", err)
	}
}

func mustParse(t *testing.T, path string) zoo.ExternalConfig {
	t.Helper()
	c, err := zoo.ReadExternalConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tonesFrameLogits computes testdata/tones.onnx's "frame_logits" for a 1 s
// clip at 16 kHz from make_onnx_tones.py's formula, in float64: [class][frame]
// = 2·log(frame power + 1e-4) + 3, the 100 frames of 160 samples.
func tonesFrameLogits(clip []float32) [][]float64 {
	const frame, rate = 160, 16000
	out := make([][]float64, len(tonesHz))
	for k, f := range tonesHz {
		for start := 0; start+frame <= len(clip); start += frame {
			var c, s float64
			for n := range frame {
				x := float64(clip[start+n])
				c += x * math.Cos(2*math.Pi*f*float64(n)/rate)
				s += x * math.Sin(2*math.Pi*f*float64(n)/rate)
			}
			out[k] = append(out[k], 2*math.Log((c*c+s*s)*(2.0/frame)*(2.0/frame)+1e-4)+3)
		}
	}
	return out
}

// TestExternalScoresPooling reads class outputs with a time axis
// (tones.onnx's "frame_logits", [batch, 3, 100]) with each scores_pooling:
// the scores are the sigmoid of the max (the default) or the mean over the
// frames of the logits computed by hand. A tone in the first 0.2 s of a clip
// scores above 0.5 pooled by max and below pooled by mean. The head digest
// changes with scores_pooling and with the scores value alone; the embedding
// digest with neither.
func TestExternalScoresPooling(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "labels.txt"), []byte("low tone\nmid tone\nhigh tone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clips := toneClips(23)
	short := make([]float32, 16000) // the mid tone for 0.2 s, then silence
	for n := range 3200 {
		short[n] = float32(0.8 * math.Sin(2*math.Pi*2000*float64(n)/16000))
	}
	clips = append(clips, short)
	heads, embeddings := map[string]string{}, map[string]string{}
	for _, tc := range []struct{ name, keys, pool string }{
		{"default", "scores = frame_logits\nclasses = labels.txt\n", "max"},
		{"max", "scores = frame_logits\nclasses = labels.txt\nscores_pooling = max\n", "max"},
		{"mean", "scores = frame_logits\nclasses = labels.txt\nscores_pooling = mean\n", "mean"},
		{"clip logits", "scores = logits\nclasses = labels.txt\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := zoo.LoadExternal(mustParse(t, writeConfig(t, dir, "tones.onnx", "tones", tonesConfig+tc.keys)))
			if err != nil {
				t.Fatal(err)
			}
			h, _ := m.ClassHead()
			heads[tc.name], embeddings[tc.name] = h.Digest, m.Info().Digest
			if tc.pool == "" {
				return
			}
			got, err := zoo.ClassScores(m, clips, 16000, zoo.EmbedOptions{BatchSize: 3, Pooling: cnn.MeanPooling})
			if err != nil {
				t.Fatal(err)
			}
			for i, clip := range clips {
				for k, frames := range tonesFrameLogits(clip) {
					pooled := math.Inf(-1)
					if tc.pool == "mean" {
						pooled = 0
					}
					for _, l := range frames {
						if tc.pool == "mean" {
							pooled += l / float64(len(frames))
						} else {
							pooled = max(pooled, l)
						}
					}
					want := 1 / (1 + math.Exp(-pooled))
					if math.Abs(float64(got[i][k])-want) > 2e-4 {
						t.Errorf("clip %d class %d: %.6f, want sigmoid(%s of frames) = %.6f", i, k, got[i][k], tc.pool, want)
					}
				}
			}
			if s := got[len(clips)-1][1]; (s > 0.5) != (tc.pool == "max") {
				t.Errorf("a tone in 0.2 s of the clip scores %.3g pooled by %s", s, tc.pool)
			}
		})
	}
	if heads["default"] != heads["max"] || heads["max"] == heads["mean"] || heads["default"] == heads["clip logits"] {
		t.Errorf("head digests %v: want the default the same as max, another for mean and for another scores value", heads)
	}
	for name, d := range embeddings {
		if d != embeddings["default"] {
			t.Errorf("embedding digest of %s %s, of the default %s: the head must leave it alone", name, d, embeddings["default"])
		}
	}
}

// TestExternalConfigScoresPoolingZero: a config file without scores_pooling
// pools frame-level outputs by max, and an ExternalConfig built in Go with
// ScoresPooling left zero pools them by mean (cnn.Pooling's zero value, as
// for Pooling): its scores are those of scores_pooling = mean, and the tone
// in the first 0.2 s of a clip scores below 0.5 there and above by max.
func TestExternalConfigScoresPoolingZero(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "labels.txt"), []byte("low tone\nmid tone\nhigh tone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	short := make([]float32, 16000) // the mid tone for 0.2 s, then silence
	for n := range 3200 {
		short[n] = float32(0.8 * math.Sin(2*math.Pi*2000*float64(n)/16000))
	}
	parsed := mustParse(t, writeConfig(t, dir, "tones.onnx", "tones", tonesConfig+"scores = frame_logits\nclasses = labels.txt\n"))
	if parsed.ScoresPooling != cnn.MaxPooling {
		t.Errorf("a config file without scores_pooling: %v, want max", parsed.ScoresPooling)
	}
	goBuilt := parsed
	goBuilt.ScoresPooling = 0 // what a Go literal that leaves the field out gets
	mean := parsed
	mean.ScoresPooling = cnn.MeanPooling
	score := func(c zoo.ExternalConfig) float32 {
		m, err := zoo.LoadExternal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := zoo.ClassScores(m, [][]float32{short}, 16000, zoo.EmbedOptions{BatchSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		return got[0][1]
	}
	sMax, sZero, sMean := score(parsed), score(goBuilt), score(mean)
	if sZero != sMean || !(sZero < 0.5) || !(sMax > 0.5) {
		t.Errorf("mid tone for 0.2 s: zero ScoresPooling %.4g, mean %.4g (want equal, below 0.5), config default %.4g (want above 0.5)", sZero, sMean, sMax)
	}
}
