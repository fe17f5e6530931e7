package zoo_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// TestGeneral loads each shipped extractor trained for generality (its weights
// checked against the record's SHA-256), checks what Info says of it, that its
// first layers keep birds-v1's front end, and that its transfer table was
// measured on the shipped weights of every model it reports.
func TestGeneral(t *testing.T) {
	birds := zoo.MustLoad(zoo.BirdsV1).Info()
	for _, tc := range []struct {
		name     string
		classes  int      // 272 synthetic animals and real-pretrain's classes when it was trained
		measured []string // the models of its transfer.json
		sets     []string // its sets
	}{
		{zoo.GeneralV1, 316, []string{zoo.BirdsV1, zoo.GeneralV1}, []string{"synth-transfer", "synth-hard", "real-narrators", "real-animals"}},
		{zoo.GeneralV2, 317, []string{zoo.BirdsV1, zoo.GeneralV1, zoo.GeneralV2},
			[]string{"synth-transfer", "synth-hard", "real-narrators", "real-animals", "real-animal-kinds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := zoo.Load(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			info := m.Info()
			if info.EmbeddingSize != 128 || len(info.Classes) != tc.classes || info.Spectrogram != birds.Spectrogram ||
				info.SampleRateHz != birds.SampleRateHz || info.ClipSeconds != birds.ClipSeconds {
				t.Errorf("info: %d-d embedding, %d classes, spectrogram %+v at %d Hz, %g s; want 128, %d and birds-v1's front end",
					info.EmbeddingSize, len(info.Classes), info.Spectrogram, info.SampleRateHz, info.ClipSeconds, tc.classes)
			}
			if !strings.Contains(info.Description, fmt.Sprintf("%d classes", tc.classes)) || strings.Contains(info.Licence, "CC0") || info.Digest == birds.Digest {
				t.Errorf("description %q, licence %q, digest %s (birds-v1's %s)", info.Description, info.Licence, info.Digest, birds.Digest)
			}
			weights, err := os.ReadFile("models/" + tc.name + "/" + cnn.WeightsFile)
			if err != nil {
				t.Fatal(err)
			}
			if want := cnn.Digest(weights); info.Digest != want {
				t.Errorf("Digest %s, want the SHA-256 of the weights %s", info.Digest, want)
			}
			raw, err := os.ReadFile("models/" + tc.name + "/transfer.json")
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
			if len(table.WeightsDigest) != len(tc.measured) {
				t.Errorf("transfer.json measured %d models %v, want %v", len(table.WeightsDigest), table.WeightsDigest, tc.measured)
			}
			for _, name := range tc.measured {
				if want := zoo.MustLoad(name).Info().Digest; table.WeightsDigest[name] != want {
					t.Errorf("transfer.json measured %s's weights %q; the shipped ones are %s: measure again (make transfertable)",
						name, table.WeightsDigest[name], want)
				}
			}
			var sets []string
			for _, s := range table.Sets {
				sets = append(sets, path.Base(s.Data))
			}
			if !slices.Equal(sets, tc.sets) {
				t.Errorf("transfer.json has sets %v, want %v", sets, tc.sets)
			}
		})
	}
}
