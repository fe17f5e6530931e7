package zoo_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// The model and the reference outputs are made by testdata/make_onnx_model.py
// (PyTorch 1.13 exporter).
const tinyONNX = "testdata/tinycnn.onnx"

type tinyOutputs struct {
	Shape     []int       `json:"shape"`
	Embedding [][]float32 `json:"embedding"`
	Logits    [][]float32 `json:"logits"`
	B1Mean    [][]float32 `json:"block1_mean"`
	B1Max     [][]float32 `json:"block1_max"`
	B2Mean    [][]float32 `json:"block2_mean"`
	B2Max     [][]float32 `json:"block2_max"`
	B3Mean    [][]float32 `json:"block3_mean"`
	B3Max     [][]float32 `json:"block3_max"`
}

func readTinyOutputs(t *testing.T) tinyOutputs {
	t.Helper()
	data, err := os.ReadFile("testdata/tinycnn_outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	var out tinyOutputs
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// tinyImages rebuilds test_images() of make_onnx_model.py: the same integer
// formulas, so the same float32 values.
func tinyImages() [][]float32 {
	const frames, mels = 130, 64
	images := make([][]float32, 4)
	for i := range images {
		images[i] = make([]float32, frames*mels)
	}
	for t := 0; t < frames; t++ {
		for f := 0; f < mels; f++ {
			k := t*mels + f
			images[0][k] = float32((t*104729+f*1299709+7919)%1000) / 999
			images[2][k] = float32((t+2*f)%256) / 255
			images[3][k] = float32((t/4 + f/4) % 2)
		}
	}
	return images
}

func loadTiny(t *testing.T) *zoo.ONNXModel {
	t.Helper()
	m, err := zoo.FromONNX(tinyONNX, zoo.Info{
		Name:    "tinycnn",
		Layers:  []string{"block1", "block2", "block3", "embedding"},
		Classes: []string{"a", "b", "c", "d", "e"},
	}, zoo.ONNXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// closeTo checks got against want within 1e-4 of the largest |want| in the row
// (relative tolerance), row by row.
func closeTo(t *testing.T, name string, got, want [][]float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", name, len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s row %d: %d values, want %d", name, i, len(got[i]), len(want[i]))
		}
		scale := 1e-6
		for _, w := range want[i] {
			scale = math.Max(scale, math.Abs(float64(w)))
		}
		for j := range want[i] {
			if d := math.Abs(float64(got[i][j] - want[i][j])); d > 1e-4*scale {
				t.Errorf("%s[%d][%d] = %g, exporter %g (|diff| %g > 1e-4 × %g)", name, i, j, got[i][j], want[i][j], d, scale)
			}
		}
	}
}

func TestFromONNXMatchesExporter(t *testing.T) {
	m := loadTiny(t)
	want := readTinyOutputs(t)
	info := m.Info()
	if info.EmbeddingSize != 32 || info.SampleRateHz != 22050 || info.ClipSeconds != 3 || info.Spectrogram.NumMels != 64 || len(info.Digest) != 64 {
		t.Errorf("Info filled in wrong: %+v", info)
	}
	if m.Input() != zoo.InputImage {
		t.Errorf("Input() = %v, want image", m.Input())
	}
	images := tinyImages()
	for _, tc := range []struct {
		layer   string
		pooling cnn.Pooling
		want    [][]float32
	}{
		{"embedding", cnn.MeanPooling, want.Embedding},
		{"block1", cnn.MeanPooling, want.B1Mean},
		{"block1", cnn.MaxPooling, want.B1Max},
		{"block2", cnn.MeanPooling, want.B2Mean},
		{"block2", cnn.MaxPooling, want.B2Max},
		{"block3", cnn.MeanPooling, want.B3Mean},
		{"block3", cnn.MaxPooling, want.B3Max},
		{"block3", cnn.MeanPooling, want.Embedding}, // the model's own global mean pool
	} {
		if testing.Short() && (tc.layer == "block2" || tc.layer == "block3") {
			continue // GoMLX under -race is slow
		}
		for _, batch := range []int{4, 3} {
			if testing.Short() && batch == 3 {
				continue
			}
			got, err := m.EmbedImages(images, zoo.EmbedOptions{Layer: tc.layer, Pooling: tc.pooling, BatchSize: batch})
			if err != nil {
				t.Fatalf("%s/%v: %v", tc.layer, tc.pooling, err)
			}
			closeTo(t, tc.layer+"/"+tc.pooling.String(), got, tc.want)
		}
	}
	// Layer "" is the last of Info.Layers.
	got, err := m.EmbedImages(images, zoo.EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "default layer", got, want.Embedding)

	if testing.Short() {
		return // GoMLX under -race is slow
	}
	// A model whose only layer is the head's output: no time or frequency axes,
	// so pooling does not apply.
	head, err := zoo.FromONNX(tinyONNX, zoo.Info{Layers: []string{"logits"}}, zoo.ONNXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if head.Info().EmbeddingSize != 5 || head.Info().Name != "tinycnn" {
		t.Errorf("head model Info: %+v", head.Info())
	}
	for _, p := range []cnn.Pooling{cnn.MeanPooling, cnn.MaxPooling} {
		got, err := head.EmbedImages(images, zoo.EmbedOptions{Pooling: p})
		if err != nil {
			t.Fatal(err)
		}
		closeTo(t, "logits/"+p.String(), got, want.Logits)
	}
}

// Embedding is deterministic: for a given BatchSize a clip's embedding is the
// same bit for bit, whatever call, position in the batch, neighbours or number
// of clips. Across batch sizes the engine may choose another convolution
// algorithm: values then agree to float32 rounding.
func TestONNXDeterministic(t *testing.T) {
	m := loadTiny(t)
	clips := make([][]float32, 7)
	for i := range clips {
		clips[i] = make([]float32, 22050*3-i*1000)
		for k := range clips[i] {
			clips[i][k] = float32(math.Sin(float64(k)*0.05*float64(i+1)) + 0.1*math.Sin(float64(k)*0.31))
		}
	}
	sameBits := func(name string, got, want []float32) {
		t.Helper()
		for j := range want {
			if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
				t.Fatalf("%s: value %d = %v, want %v bit for bit", name, j, got[j], want[j])
			}
		}
	}
	batches := []int{1, 2, 4}
	if testing.Short() {
		clips, batches = clips[:3], []int{2} // GoMLX under -race is slow
	}
	for _, batch := range batches {
		opts := zoo.EmbedOptions{Layer: "block2", Pooling: cnn.MaxPooling, BatchSize: batch}
		first, err := m.Embed(clips, 22050, opts)
		if err != nil {
			t.Fatal(err)
		}
		again, err := m.Embed(clips, 22050, opts)
		if err != nil {
			t.Fatal(err)
		}
		reversed := make([][]float32, len(clips))
		for i := range clips {
			reversed[i] = clips[len(clips)-1-i]
		}
		backwards, err := m.Embed(reversed, 22050, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range clips {
			alone, err := m.Embed(clips[i:i+1], 22050, opts)
			if err != nil {
				t.Fatal(err)
			}
			sameBits("second call", again[i], first[i])
			sameBits("reversed order", backwards[len(clips)-1-i], first[i])
			sameBits("alone", alone[0], first[i])
		}
		if batch == 1 || testing.Short() {
			continue
		}
		ref, err := m.Embed(clips, 22050, zoo.EmbedOptions{Layer: "block2", Pooling: cnn.MaxPooling, BatchSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		closeTo(t, "batch size 1 vs "+strconv.Itoa(batch), first, ref)
	}
	// Embed (front end in Go) agrees with EmbedImages on the front end's images.
	var images [][]float32
	for _, c := range clips {
		im, err := m.FrontEnd().Image(c)
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, im)
	}
	viaClips, err := m.Embed(clips, 22050, zoo.EmbedOptions{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	viaImages, err := m.EmbedImages(images, zoo.EmbedOptions{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range clips {
		sameBits("Embed vs EmbedImages", viaClips[i], viaImages[i])
	}
}

func TestFromONNXErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.onnx")
	if err := os.WriteFile(garbage, []byte("this is not protobuf \xff\xff\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.onnx")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		info       zoo.Info
		o          zoo.ONNXOptions
		wantAll    []string
	}{
		{"missing file", filepath.Join(dir, "nope.onnx"), zoo.Info{}, zoo.ONNXOptions{}, []string{"nope.onnx", "no such file"}},
		{"empty file", empty, zoo.Info{}, zoo.ONNXOptions{}, []string{"empty.onnx", "empty"}},
		{"not onnx", garbage, zoo.Info{}, zoo.ONNXOptions{}, []string{"garbage.onnx", "not a readable ONNX model"}},
		{"wrong mel bands", tinyONNX, zoo.Info{Spectrogram: zoo.SpectrogramInfo{NFFT: 1024, HopLength: 512, NumMels: 32, FMinHz: 500, FMaxHz: 11025}}, zoo.ONNXOptions{},
			[]string{"tinycnn.onnx", `input "image"`, "130 frames × 32 mel bands"}},
		{"wrong clip length", tinyONNX, zoo.Info{ClipSeconds: 5}, zoo.ONNXOptions{}, []string{"tinycnn.onnx", "216 frames"}},
		{"no such input", tinyONNX, zoo.Info{}, zoo.ONNXOptions{InputName: "audio"}, []string{`no input "audio"`, "image"}},
		{"no such layer", tinyONNX, zoo.Info{Layers: []string{"block9"}}, zoo.ONNXOptions{}, []string{`layer "block9"`, "does not have"}},
		{"wrong embedding size", tinyONNX, zoo.Info{Layers: []string{"embedding"}, EmbeddingSize: 31}, zoo.ONNXOptions{}, []string{"EmbeddingSize is 31", "gives 32"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := zoo.FromONNX(tc.path, tc.info, tc.o)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.wantAll {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}

	m := loadTiny(t)
	for _, tc := range []struct {
		name  string
		call  func() error
		wants string
	}{
		{"long clip", func() error {
			_, err := m.Embed([][]float32{make([]float32, 3*22050+1)}, 22050, zoo.EmbedOptions{})
			return err
		}, "more than 66150"},
		{"NaN", func() error {
			_, err := m.Embed([][]float32{{0, float32(math.NaN())}}, 22050, zoo.EmbedOptions{})
			return err
		}, "clip 0"},
		{"unknown layer", func() error { _, err := m.Embed([][]float32{nil}, 22050, zoo.EmbedOptions{Layer: "fc9"}); return err }, `no layer "fc9"`},
		{"training", func() error { _, err := m.Embed([][]float32{nil}, 22050, zoo.EmbedOptions{Training: true}); return err }, "inference graph"},
		{"image size", func() error {
			_, err := m.EmbedImages([][]float32{make([]float32, 10)}, zoo.EmbedOptions{})
			return err
		}, "image 0 has 10 values"},
	} {
		if err := tc.call(); err == nil || !strings.Contains(err.Error(), tc.wants) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.wants)
		}
	}
}

func TestONNXValues(t *testing.T) {
	names, err := zoo.ONNXValues(tinyONNX)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(names, " ")
	for _, want := range []string{"embedding", "logits", "block3", "BatchNormalization"} {
		if !strings.Contains(joined, want) {
			t.Errorf("ONNXValues lacks %q: %v", want, names)
		}
	}
}

// The same network behind a [batch, mel, time, 1] input: FromONNX detects the
// channel axis and the frequency-first order from the declared shape.
func TestFromONNXLayouts(t *testing.T) {
	m, err := zoo.FromONNX("testdata/tinycnn_nhwc_melfirst.onnx", zoo.Info{Layers: []string{"block3", "embedding"}}, zoo.ONNXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := readTinyOutputs(t)
	images := tinyImages()
	got, err := m.EmbedImages(images, zoo.EmbedOptions{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "embedding", got, want.Embedding)
	if testing.Short() {
		return // GoMLX under -race is slow
	}
	// Its block values are still PyTorch's [batch, channels, time, mel].
	got, err = m.EmbedImages(images, zoo.EmbedOptions{Layer: "block3", Pooling: cnn.MaxPooling, BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "block3/max", got, want.B3Max)
}

// A waveform model takes the clips' samples as they are, zero-padded to 3 s.
func TestFromONNXWaveform(t *testing.T) {
	m, err := zoo.FromONNX("testdata/tinywave.onnx", zoo.Info{Layers: []string{"frames", "embedding"}}, zoo.ONNXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Input() != zoo.InputWaveform || m.Info().EmbeddingSize != 4 {
		t.Fatalf("Input %v, EmbeddingSize %d; want waveform, 4", m.Input(), m.Info().EmbeddingSize)
	}
	data, err := os.ReadFile("testdata/tinywave_outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Embedding [][]float32 `json:"embedding"`
		FramesMax [][]float32 `json:"frames_max"`
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	// test_waveforms() of make_onnx_model.py.
	clips := [][]float32{make([]float32, 66150), make([]float32, 66150)}
	for i := range clips[0] {
		clips[0][i] = float32((i*7919)%2000-1000) / 1000
		clips[1][i] = float32(i%441-220) / 400
	}
	got, err := m.Embed(clips, 22050, zoo.EmbedOptions{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "embedding", got, want.Embedding)
	if testing.Short() {
		return // GoMLX under -race is slow
	}
	got, err = m.Embed(clips, 22050, zoo.EmbedOptions{Layer: "frames", Pooling: cnn.MaxPooling, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "frames/max", got, want.FramesMax)
	if _, err := m.EmbedImages([][]float32{make([]float32, 130*64)}, zoo.EmbedOptions{}); err == nil || !strings.Contains(err.Error(), "waveform") {
		t.Errorf("EmbedImages on a waveform model: error %v", err)
	}
	// A model for 3 s at 22050 Hz refuses other settings.
	if _, err := zoo.FromONNX("testdata/tinywave.onnx", zoo.Info{SampleRateHz: 32000}, zoo.ONNXOptions{}); err == nil || !strings.Contains(err.Error(), "takes 66150 samples") {
		t.Errorf("wrong rate: error %v", err)
	}
}
