package zoo_test

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// archsOutputs are PyTorch's outputs saved by testdata/make_onnx_archs.py.
type archsOutputs map[string]json.RawMessage

func readArchsOutputs(t *testing.T, model string) map[string][][]float32 {
	t.Helper()
	data, err := os.ReadFile("testdata/archs_outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	var all archsOutputs
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	var out map[string][][]float32
	if err := json.Unmarshal(all[model], &out); err != nil {
		t.Fatalf("archs_outputs.json %s: %v", model, err)
	}
	return out
}

// melnetWaveforms rebuilds melnet_waveforms() of make_onnx_archs.py.
func melnetWaveforms() [][]float32 {
	clips := [][]float32{make([]float32, 16000), make([]float32, 16000), make([]float32, 16000)}
	for i := range clips[0] {
		clips[0][i] = float32((i*7919)%2000-1000) / 1000
		clips[1][i] = float32(i%16-8) / 10
	}
	return clips
}

// TestFromONNXArchitectures runs networks shaped like BirdNET's and Perch's
// (an EfficientNet with depthwise convolutions, squeeze-excitation and SiLU; a
// ResNet; a waveform network with its own STFT, mel matrix and log inside),
// exported by PyTorch from seeded weights, and compares with PyTorch's outputs
// within 1e-4 (relative to each row's largest value).
func TestFromONNXArchitectures(t *testing.T) {
	for _, tc := range []struct {
		model  string
		info   zoo.Info
		o      zoo.ONNXOptions
		layers []string // compared with the saved outputs of the same name
		dim    int
	}{
		{"effnet", zoo.Info{Layers: []string{"logits", "embedding"}}, zoo.ONNXOptions{}, []string{"embedding", "logits"}, 48},
		{"resnet", zoo.Info{Layers: []string{"logits", "embedding"}}, zoo.ONNXOptions{}, []string{"embedding", "logits"}, 32},
		{"acts", zoo.Info{Layers: []string{"embedding"}}, zoo.ONNXOptions{}, []string{"embedding"}, 16},
		// logmel is [batch, frames, mels]: ChannelsLast pools it over frames, as the script does.
		{"melnet", zoo.Info{SampleRateHz: 16000, ClipSeconds: 1, Layers: []string{"logmel", "embedding"}}, zoo.ONNXOptions{ChannelsLast: true},
			[]string{"embedding", "logmel"}, 16},
	} {
		t.Run(tc.model, func(t *testing.T) {
			m, err := zoo.FromONNX("testdata/"+tc.model+".onnx", tc.info, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Info().EmbeddingSize; got != tc.dim {
				t.Errorf("EmbeddingSize %d, want %d", got, tc.dim)
			}
			want := readArchsOutputs(t, tc.model)
			for _, layer := range tc.layers {
				if testing.Short() && layer != "embedding" {
					continue // GoMLX under -race is slow: the embedding only
				}
				var got [][]float32
				if m.Input() == zoo.InputWaveform {
					got, err = m.Embed(melnetWaveforms(), 16000, zoo.EmbedOptions{Layer: layer, BatchSize: 3})
				} else {
					got, err = m.EmbedImages(tinyImages(), zoo.EmbedOptions{Layer: layer, BatchSize: 4})
				}
				if err != nil {
					t.Fatal(err)
				}
				key := layer
				if layer == "logmel" {
					key = "logmel_mean"
				}
				if want[key] == nil {
					t.Fatalf("archs_outputs.json has no %s.%s", tc.model, key)
				}
				closeTo(t, tc.model+"/"+layer, got, want[key])
				t.Logf("%s/%s: largest |diff| / row scale %.2g", tc.model, layer, maxRelDiff(got, want[key]))
			}
		})
	}
}

// maxRelDiff is the largest |got − want| over the largest |want| of its row.
func maxRelDiff(got, want [][]float32) float64 {
	worst := 0.0
	for i := range want {
		scale := 1e-6
		for _, w := range want[i] {
			scale = math.Max(scale, math.Abs(float64(w)))
		}
		for j := range want[i] {
			worst = math.Max(worst, math.Abs(float64(got[i][j]-want[i][j]))/scale)
		}
	}
	return worst
}

// TestFromONNXUnsupportedOp loads a model with an op onnx-gomlx does not
// convert: the error names the op and the node, at load time.
func TestFromONNXUnsupportedOp(t *testing.T) {
	_, err := zoo.FromONNX("testdata/softplus.onnx", zoo.Info{}, zoo.ONNXOptions{})
	if err == nil {
		t.Fatal("no error for a model with Softplus")
	}
	for _, w := range []string{"softplus.onnx", `layer "embedding"`, `Softplus (node "/Softplus")`, "ONNX_OPS.md"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	// A layer that does not need the op loads and runs.
	m, err := zoo.FromONNX("testdata/softplus.onnx", zoo.Info{Layers: []string{"/conv/Conv_output_0"}}, zoo.ONNXOptions{})
	if err != nil {
		t.Fatalf("the conv layer before Softplus: %v", err)
	}
	if m.Info().EmbeddingSize != 4 {
		t.Errorf("conv layer: %d values, want 4", m.Info().EmbeddingSize)
	}
}

// TestONNXOps checks ONNXOps and that ONNX_OPS.md lists every op (the
// generated list itself is checked against onnx-gomlx's source by
// TestONNXConvertedOpsCurrent).
func TestONNXOps(t *testing.T) {
	ops := zoo.ONNXOps()
	for _, op := range []string{"Conv", "BatchNormalization", "MatMul", "Sigmoid", "HardSwish", "GlobalAveragePool"} {
		if !slices.Contains(ops, op) {
			t.Errorf("ONNXOps lacks %s", op)
		}
	}
	if slices.Contains(ops, "Softplus") {
		t.Error("ONNXOps lists Softplus, which nothing converts")
	}
	doc, err := os.ReadFile("ONNX_OPS.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if !strings.Contains(string(doc), "`"+op+"`") {
			t.Errorf("ONNX_OPS.md does not list %s: run go generate ./lib/zoo", op)
		}
	}
}
