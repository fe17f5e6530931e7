package zoo_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// TestUntrained checks that the untrained model has the shipped architecture
// (embedding size, layers) but other weights: its embeddings of the same clips
// differ from the pretrained ones, are the same for the same seed, and differ
// between seeds; digests differ likewise.
func TestUntrained(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three networks")
	}
	clips, _ := heldOutClips(t, 1, 2, 5)
	pretrained := zoo.MustLoad(zoo.BirdsV1)
	a, b, c := zoo.MustUntrained(zoo.BirdsV1, 1), zoo.MustUntrained(zoo.BirdsV1, 1), zoo.MustUntrained(zoo.BirdsV1, 2)
	if got := a.Info().Name; got != "birds-v1-untrained-seed1" {
		t.Errorf("Name = %q", got)
	}
	if a.Info().EmbeddingSize != pretrained.Info().EmbeddingSize || len(a.Info().Layers) != len(pretrained.Info().Layers) {
		t.Errorf("untrained Info %+v does not match the shipped architecture %+v", a.Info(), pretrained.Info())
	}
	if a.Info().Digest != b.Info().Digest || a.Info().Digest == c.Info().Digest || a.Info().Digest == pretrained.Info().Digest {
		t.Errorf("digests: seed 1 %s, seed 1 again %s, seed 2 %s, pretrained %s", a.Info().Digest, b.Info().Digest, c.Info().Digest, pretrained.Info().Digest)
	}
	embed := func(m zoo.Model) [][]float32 {
		out, err := m.Embed(clips, 22050, zoo.EmbedOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	ea, eb, ec, ep := embed(a), embed(b), embed(c), embed(pretrained)
	same := func(x, y [][]float32) bool {
		for i := range x {
			for j := range x[i] {
				if x[i][j] != y[i][j] {
					return false
				}
			}
		}
		return true
	}
	if !same(ea, eb) {
		t.Error("the same seed gave different untrained embeddings")
	}
	if same(ea, ec) || same(ea, ep) {
		t.Error("untrained embeddings equal those of another seed or of the pretrained model")
	}
}

// TestUntrainedConfig checks that Untrained, which reads the shipped
// network's configuration from its weights file's header alone, builds the
// architecture of the loaded shipped network: the same configuration, hence
// the same digest as when it was taken from the loaded network, and the same
// description of front end and layers.
func TestUntrainedConfig(t *testing.T) {
	for _, name := range []string{zoo.BirdsV1, zoo.GeneralV1, zoo.GeneralV2} {
		t.Run(name, func(t *testing.T) {
			loaded := zoo.MustLoadCNN(name)
			cfgJSON, err := json.Marshal(loaded.Config())
			if err != nil {
				t.Fatal(err)
			}
			untrained := zoo.MustUntrained(name, 7)
			wantName := name + "-untrained-seed7"
			if got, want := untrained.Info().Digest, cnn.Digest([]byte(wantName), cfgJSON); got != want {
				t.Errorf("digest %s, want %s (of the loaded network's configuration)", got, want)
			}
			shipped := zoo.MustLoad(name).Info()
			got := untrained.Info()
			if !reflect.DeepEqual(got.Spectrogram, shipped.Spectrogram) || !reflect.DeepEqual(got.Layers, shipped.Layers) ||
				!reflect.DeepEqual(got.Classes, shipped.Classes) || got.EmbeddingSize != shipped.EmbeddingSize {
				t.Errorf("untrained Info %+v, shipped %+v", got, shipped)
			}
		})
	}
	if _, err := zoo.Untrained("no-such-model", 1); err == nil || !strings.Contains(err.Error(), "no-such-model") {
		t.Errorf("unknown name: error %v", err)
	}
}

// TestWeightsDigest: the digest read from a shipped network's record, without
// loading it, is the loaded model's; an unknown name is an error naming it.
func TestWeightsDigest(t *testing.T) {
	for _, name := range []string{zoo.BirdsV1, zoo.GeneralV1, zoo.GeneralV2} {
		got, err := zoo.WeightsDigest(name)
		if err != nil {
			t.Fatal(err)
		}
		if want := zoo.MustLoad(name).Info().Digest; got != want || got == "" {
			t.Errorf("%s: WeightsDigest %q, the loaded model's digest %q", name, got, want)
		}
	}
	if _, err := zoo.WeightsDigest("no-such-model"); err == nil || !strings.Contains(err.Error(), "no-such-model") {
		t.Errorf("unknown name: error %v", err)
	}
}
