package zoo_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

const fullConfig = `# a spectrogram model
name = effnet-like          # the zoo name
onnx = effnet.onnx
sample_rate_hz = 22050
clip_seconds = 3
input = spectrogram
embedding = /head/head.2/Mul_output_0
input_name = image
embedding_size = 48
pooling = max
layout = channels_first
layer.logits = logits
nfft = 1024
hop = 512
mels = 64
fmin_hz = 500
fmax_hz = 11025
level = floor
floor_dbfs = -80

description = an EfficientNet-style test network = seeded weights
training_data = none
licence = CC0
`

func TestParseExternalConfig(t *testing.T) {
	c, err := zoo.ParseExternalConfig("dir/effnet.model", strings.NewReader(fullConfig))
	if err != nil {
		t.Fatal(err)
	}
	want := zoo.ExternalConfig{
		Path: "dir/effnet.model", Name: "effnet-like", ONNXPath: "effnet.onnx", Input: zoo.InputImage,
		InputName: "image", Embedding: "/head/head.2/Mul_output_0", Layers: map[string]string{"logits": "logits"},
		SampleRateHz: 22050, ClipSeconds: 3, EmbeddingSize: 48, Pooling: cnn.MaxPooling,
		Spectrogram: zoo.SpectrogramInfo{NFFT: 1024, HopLength: 512, NumMels: 64, FMinHz: 500, FMaxHz: 11025, Level: spectro.LevelFloor, FloorDBFS: -80},
		Description: "an EfficientNet-style test network = seeded weights", TrainingData: "none", Licence: "CC0",
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("parsed\n%+v\nwant\n%+v", c, want)
	}
	if got := c.ONNXFile(); got != filepath.Join("dir", "effnet.onnx") {
		t.Errorf("ONNXFile %q", got)
	}
	again, err := zoo.ParseExternalConfig("dir/effnet.model", strings.NewReader(c.String()))
	if err != nil || !reflect.DeepEqual(again, c) {
		t.Errorf("String does not read back: %v\n%s", err, c.String())
	}

	required := "name = m\nonnx = m.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = waveform\nembedding = e\n"
	for _, tc := range []struct {
		name, text string
		wants      []string
	}{
		{"no equals", required + "pooling max\n", []string{"m.model:7", "want `key = value`"}},
		{"unknown key", required + "poolng = max\n", []string{"m.model:7: poolng", "unknown key"}},
		{"twice", required + "name = n\n", []string{"m.model:7: name", "twice", "line 1"}},
		{"missing", strings.Replace(required, "embedding = e\n", "", 1), []string{"m.model: embedding", "missing"}},
		{"both spellings", required + "licence = a\nlicense = b\n", []string{"m.model:8: licence", "twice"}},
		{"empty value", required + "licence =\n", []string{"m.model:7: licence", "no value"}},
		{"bad rate", strings.Replace(required, "16000", "16k", 1), []string{"m.model:3: sample_rate_hz", `"16k"`}},
		{"zero clip", strings.Replace(required, "clip_seconds = 1", "clip_seconds = 0", 1), []string{"m.model:4: clip_seconds", "> 0"}},
		{"NaN clip", strings.Replace(required, "clip_seconds = 1", "clip_seconds = NaN", 1), []string{"m.model:4: clip_seconds"}},
		{"input kind", strings.Replace(required, "waveform", "audio", 1), []string{"m.model:5: input", "waveform or spectrogram"}},
		{"bad name", strings.Replace(required, "name = m", "name = my model", 1), []string{"m.model:1: name", `"my model"`}},
		{"pooling", required + "pooling = median\n", []string{"m.model:7: pooling", "mean or max"}},
		{"layout", required + "layout = nhwc\n", []string{"m.model:7: layout", "channels_last"}},
		{"layer named embedding", required + "layer.embedding = x\n", []string{"m.model:7: layer.embedding"}},
		{"front end on waveform", required + "nfft = 512\n", []string{"m.model:7: nfft", "input = spectrogram"}},
		{"level", strings.Replace(required, "waveform", "spectrogram", 1) + "level = loud\n", []string{"m.model:7: level", "floor or peak"}},
		{"fmax below fmin", strings.Replace(required, "waveform", "spectrogram", 1) + "fmin_hz = 900\nfmax_hz = 800\n", []string{"m.model:8: fmax_hz", "not above"}},
		{"negative fmin", strings.Replace(required, "waveform", "spectrogram", 1) + "fmin_hz = -1\n", []string{"m.model:7: fmin_hz", "≥ 0"}},
		{"scores without classes", required + "scores = logits\n", []string{"m.model:7: scores", "no classes key"}},
		{"classes without scores", required + "classes = labels.txt\n", []string{"m.model:7: classes", "no scores key"}},
		{"activation without scores", required + "activation = softmax\n", []string{"m.model:7: activation", "no scores key"}},
		{"unknown activation", required + "scores = logits\nclasses = l.txt\nactivation = relu\n", []string{"m.model:9: activation", `"relu"`, "sigmoid, softmax or none"}},
		{"scores_pooling without scores", required + "scores_pooling = mean\n", []string{"m.model:7: scores_pooling", "no scores key"}},
		{"unknown scores_pooling", required + "scores = logits\nclasses = l.txt\nscores_pooling = sum\n", []string{"m.model:9: scores_pooling", `"sum"`, "max or mean"}},
		{"layer named scores", required + "layer.scores = x\nscores = logits\nclasses = l.txt\n", []string{"m.model:7: layer.scores", "already"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := zoo.ParseExternalConfig("m.model", strings.NewReader(tc.text))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func FuzzParseExternalConfig(f *testing.F) {
	f.Add(fullConfig)
	f.Add("name = m\nonnx = m.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = waveform\nembedding = e\n")
	f.Add("name = m\nonnx = m.onnx\nsample_rate_hz = 48000\nclip_seconds = 3\ninput = waveform\nembedding = e\nscores = logits\nclasses = labels.txt\nactivation = softmax\n")
	f.Add("name=a\r\nonnx=/x.onnx\nsample_rate_hz=1\nclip_seconds=0x1p-2\ninput=spectrogram\nembedding==\nfmin_hz=0\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := zoo.ParseExternalConfig("f.model", strings.NewReader(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "zoo: external model f.model") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		again, err := zoo.ParseExternalConfig("f.model", strings.NewReader(c.String()))
		if err != nil {
			t.Fatalf("String() does not parse: %v\n%s", err, c.String())
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("String() reads back as\n%+v\nnot\n%+v", again, c)
		}
	})
}

// writeConfig writes text as NAME.model beside a copy of testdata/ONNX.
func writeConfig(t *testing.T, dir, onnxName, name, text string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", onnxName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, onnxName), data, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".model")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExternalModel loads external models by their config's path through
// zoo.Load and checks them against PyTorch's outputs: melnet (waveform in),
// and effnet with its head's [batch, 48, time, mel] value as the embedding,
// pooled by the config's mean (PyTorch's embedding) or max.
func TestExternalModel(t *testing.T) {
	dir := t.TempDir()
	melPath := writeConfig(t, dir, "melnet.onnx", "melnet-ext", `name = melnet-ext
onnx = melnet.onnx
sample_rate_hz = 16000
clip_seconds = 1
input = waveform
embedding = embedding
layer.logmel = logmel
layout = channels_last   # logmel is [batch, frames, mels]: pooled over frames
`)
	m, err := zoo.Load(melPath)
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info()
	if info.Name != "melnet-ext" || !reflect.DeepEqual(info.Layers, []string{"logmel", "embedding"}) || info.EmbeddingSize != 16 || info.SampleRateHz != 16000 {
		t.Fatalf("Info %+v", info)
	}
	want := readArchsOutputs(t, "melnet")
	got, err := m.Embed(melnetWaveforms(), 16000, zoo.EmbedOptions{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "melnet-ext", got, want["embedding"])
	// Registered: the name now loads it too, and the same path again is the same entry.
	if _, err := zoo.Load("melnet-ext"); err != nil {
		t.Errorf("by name: %v", err)
	}
	if name, err := zoo.RegisterExternal(melPath); err != nil || name != "melnet-ext" {
		t.Errorf("RegisterExternal again: %q, %v", name, err)
	}
	found := false
	for _, e := range zoo.List() {
		found = found || (e.Name == "melnet-ext" && strings.Contains(e.Description, melPath))
	}
	if !found {
		t.Errorf("List does not show melnet-ext with its config path: %v", zoo.List())
	}

	if testing.Short() {
		return // GoMLX under -race is slow: the pooling checks run without -short
	}
	head := "/head/head.2/Mul_output_0"
	effnet := func(name, pooling string) *zoo.ExternalModel {
		path := writeConfig(t, dir, "effnet.onnx", name, "name = "+name+"\nonnx = effnet.onnx\nsample_rate_hz = 22050\nclip_seconds = 3\ninput = spectrogram\nembedding = "+head+"\npooling = "+pooling+"\n")
		c, err := zoo.ReadExternalConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := zoo.LoadExternal(c)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	mean, max := effnet("effnet-mean", "mean"), effnet("effnet-max", "max")
	gotMean, err := mean.EmbedImages(tinyImages(), zoo.EmbedOptions{Pooling: cnn.MaxPooling, BatchSize: 4}) // the config's pooling wins
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "effnet head, mean", gotMean, readArchsOutputs(t, "effnet")["embedding"])
	gotMax, err := max.EmbedImages(tinyImages(), zoo.EmbedOptions{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := zoo.FromONNX("testdata/effnet.onnx", zoo.Info{Layers: []string{"head"}}, zoo.ONNXOptions{LayerValues: map[string]string{"head": head}})
	if err != nil {
		t.Fatal(err)
	}
	wantMax, err := plain.EmbedImages(tinyImages(), zoo.EmbedOptions{Pooling: cnn.MaxPooling, BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotMax, wantMax) {
		t.Error("pooling = max differs from FromONNX with Pooling Max")
	}
	if reflect.DeepEqual(gotMax, gotMean) {
		t.Error("max and mean pooling agree: the config's pooling is not used")
	}
	if mean.Info().Digest == max.Info().Digest {
		t.Error("configs that differ in pooling share a Digest")
	}
}

func TestExternalModelErrors(t *testing.T) {
	dir := t.TempDir()
	wrongKind := writeConfig(t, dir, "melnet.onnx", "wrong-kind", "name = wrong-kind\nonnx = melnet.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = spectrogram\nembedding = embedding\n")
	missing := filepath.Join(dir, "missing.model")
	os.WriteFile(missing, []byte("name = missing-onnx\nonnx = nowhere.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = waveform\nembedding = embedding\n"), 0o644)
	noValue := writeConfig(t, dir, "melnet.onnx", "no-value", "name = no-value\nonnx = melnet.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = waveform\nembedding = nothing_here\n")
	otherDir := t.TempDir()
	taken := writeConfig(t, otherDir, "melnet.onnx", "wrong-kind", "name = wrong-kind\nonnx = melnet.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = waveform\nembedding = embedding\n")
	if _, err := zoo.RegisterExternal(wrongKind); err != nil { // registers (it fails only when loaded)
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ref string
		wants     []string
	}{
		{"input kind", wrongKind, []string{"wrong-kind", "input = spectrogram", `input "audio" is a waveform`}},
		{"no onnx file", missing, []string{"missing-onnx", "nowhere.onnx", "no such file"}},
		{"no such value", noValue, []string{"no-value", `"nothing_here"`}},
		{"name taken", taken, []string{`"wrong-kind" is already taken`}},
		{"unknown name", "no-such-model", []string{`no model "no-such-model"`, zoo.ModelsEnv, "config file's path"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := zoo.Load(tc.ref)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
