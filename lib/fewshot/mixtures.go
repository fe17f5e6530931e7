package fewshot

import "github.com/dawnchorus/dawnchorus/lib/audio"

// MixtureClips returns the clips of mixtures, in order, to embed them.
func MixtureClips(mixtures []Mixture) []audio.Clip {
	clips := make([]audio.Clip, len(mixtures))
	for i, m := range mixtures {
		clips[i] = m.Clip
	}
	return clips
}

// BothFound counts the mixtures whose two classes both score at least 0.5: scores[i]
// holds a classifier's class scores for mixtures[i]. A softmax's scores sum to 1, so at
// most one class can pass 0.5 (two only at exactly 0.5 each); one sigmoid per class can
// say both.
func BothFound(scores [][]float32, mixtures []Mixture) int {
	n := 0
	for i, m := range mixtures {
		if i < len(scores) && scores[i][m.Classes[0]] >= 0.5 && scores[i][m.Classes[1]] >= 0.5 {
			n++
		}
	}
	return n
}
