package zoo

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadExternalCompilesNoHead: loading a model with a class head compiles
// no graph of the scores layer (embed and search never read it); the first
// ClassHeadOf compiles it, once.
func TestLoadExternalCompilesNoHead(t *testing.T) {
	dir := t.TempDir()
	onnx, err := filepath.Abs("testdata/tones.onnx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "labels.txt"), []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := ExternalConfig{Path: filepath.Join(dir, "tones.model"), Name: "tones", ONNXPath: onnx, Input: InputWaveform, Embedding: "embedding",
		Scores: "logits", ClassesPath: "labels.txt", Activation: ActivationSigmoid, SampleRateHz: 16000, ClipSeconds: 1}
	m, err := LoadExternal(c)
	if err != nil {
		t.Fatal(err)
	}
	scoresGraphs := func() int {
		n := 0
		for _, layer := range m.CompiledLayers() {
			if layer == ExternalScores {
				n++
			}
		}
		return n
	}
	if n := scoresGraphs(); n != 0 {
		t.Errorf("LoadExternal compiled %d graphs of the scores layer, want none", n)
	}
	for range 2 {
		if _, err := ClassHeadOf(m); err != nil {
			t.Fatal(err)
		}
	}
	if n := scoresGraphs(); n != 1 {
		t.Errorf("ClassHeadOf twice compiled %d graphs of the scores layer, want 1", n)
	}
}
