package zoo_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// TestGeneralV1 loads the shipped general-v1 (its weights checked against the
// record's SHA-256), checks what Info says of it, that its first layers keep
// birds-v1's front end, and that its transfer table was measured on these
// weights.
func TestGeneralV1(t *testing.T) {
	m, err := zoo.Load(zoo.GeneralV1)
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info()
	birds := zoo.MustLoad(zoo.BirdsV1).Info()
	if info.EmbeddingSize != 128 || len(info.Classes) != 316 || info.Spectrogram != birds.Spectrogram ||
		info.SampleRateHz != birds.SampleRateHz || info.ClipSeconds != birds.ClipSeconds {
		t.Errorf("info: %d-d embedding, %d classes, spectrogram %+v at %d Hz, %g s; want 128, 316 and birds-v1's front end",
			info.EmbeddingSize, len(info.Classes), info.Spectrogram, info.SampleRateHz, info.ClipSeconds)
	}
	if !strings.Contains(info.Description, "316 classes") || strings.Contains(info.Licence, "CC0") || info.Digest == birds.Digest {
		t.Errorf("description %q, licence %q, digest %s (birds-v1's %s)", info.Description, info.Licence, info.Digest, birds.Digest)
	}
	weights, err := os.ReadFile("models/general-v1/" + cnn.WeightsFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := cnn.Digest(weights); info.Digest != want {
		t.Errorf("Digest %s, want the SHA-256 of the weights %s", info.Digest, want)
	}
	raw, err := os.ReadFile("models/general-v1/transfer.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		WeightsDigest map[string]string `json:"weights_digest"`
		Sets          []struct {
			Data string `json:"data"`
		} `json:"sets"`
	}
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatal(err)
	}
	if table.WeightsDigest[zoo.GeneralV1] != info.Digest || table.WeightsDigest[zoo.BirdsV1] != birds.Digest {
		t.Errorf("transfer.json measured weights %v; the shipped ones are general-v1 %s, birds-v1 %s: measure again (make transfertable)",
			table.WeightsDigest, info.Digest, birds.Digest)
	}
	if len(table.Sets) != 4 {
		t.Errorf("transfer.json has %d sets, want synth-transfer, synth-hard, real-narrators and real-animals", len(table.Sets))
	}
}
