package embed

import (
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// TestSettingsKeyScoresValue: an external model's class outputs read from
// another ONNX value (scores = logits, scores = probs; the same Digest, which
// leaves the class head out) get other cache keys, for clips and for files;
// other layers' keys do not depend on the scores value (their outputs do not).
func TestSettingsKeyScoresValue(t *testing.T) {
	info := zoo.Info{Name: "tones", SampleRateHz: 16000, ClipSeconds: 1, Layers: []string{zoo.ExternalScores, zoo.ExternalEmbedding}, Digest: "d"}
	logits, probs := info, info
	logits.ScoresValue, probs.ScoresValue = "logits", "probs"
	for _, tc := range []struct {
		layer    string
		wantSame bool
	}{
		{zoo.ExternalScores, false},
		{zoo.ExternalEmbedding, true},
		{"", true},
	} {
		for _, kind := range []string{"clips", "files"} {
			o := Options{EmbedOptions: zoo.EmbedOptions{Layer: tc.layer, BatchSize: 32}}
			a, b := settingsKey(logits, o, kind), settingsKey(probs, o, kind)
			if (a == b) != tc.wantSame {
				t.Errorf("layer %q, %s: keys for logits and probs equal %v, want %v:\n%s\n%s", tc.layer, kind, a == b, tc.wantSame, a, b)
			}
		}
	}
}
