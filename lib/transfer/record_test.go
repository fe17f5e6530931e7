package transfer

import (
	"strings"
	"testing"
)

func TestMatchRows(t *testing.T) {
	saved := []Row{
		{Method: Frozen, Size: 20, Seed: 1, Accuracy: 0.86},
		{Method: Frozen, Size: 60, Seed: 1, Accuracy: 0.9925},
		{Method: FineTune, Size: 20, Seed: 1, Accuracy: 0.925, Steps: 20},
		{Method: Scratch, Size: 20, Seed: 1, Accuracy: 0.11, Steps: 20},
		{Method: Scratch, Size: 20, Seed: 1, Accuracy: 0.12, Steps: 20}, // twice: ambiguous
	}
	for _, tc := range []struct {
		name    string
		live    []Row
		largest float64
		want    string // "" for a match
	}{
		{"the same", []Row{saved[0], saved[2]}, 0, ""},
		{"within tolerance", []Row{{Method: Frozen, Size: 20, Seed: 1, Accuracy: 0.8675}}, 0.0075, ""},
		{"beyond tolerance", []Row{{Method: Frozen, Size: 60, Seed: 1, Accuracy: 0.97}, saved[0]}, 0.0225, "frozen n=60 seed 1: accuracy 0.9700 now, 0.9925 saved"},
		{"other steps", []Row{{Method: FineTune, Size: 20, Seed: 1, Accuracy: 0.925, Steps: 32}}, 0, "32 steps now, 20 saved"},
		{"missing", []Row{{Method: Frozen, Size: 100, Seed: 1, Accuracy: 1}}, 0, "frozen n=100 seed 1: 0 saved rows"},
		{"saved twice", []Row{saved[3]}, 0, "scratch n=20 seed 1: 2 saved rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			largest, err := MatchRows(tc.live, saved, 0.01)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if diff := largest - tc.largest; diff > 1e-12 || diff < -1e-12 {
				t.Errorf("largest difference %v, want %v", largest, tc.largest)
			}
		})
	}
}

func TestCheckProvenance(t *testing.T) {
	rows := []Row{{Method: Frozen, Size: 20, Seed: 1}, {Method: Frozen, Size: 60, Seed: 2}, {Method: Scratch, Size: 20, Seed: 1}}
	frozen := Provenance{Method: Frozen, Sizes: []int{20, 60}, Seeds: []uint64{1, 2}}
	scratch := Provenance{Method: Scratch, Sizes: []int{20}, Seeds: []uint64{1}}
	for _, tc := range []struct {
		name       string
		provenance []Provenance
		want       string
	}{
		{"each row once", []Provenance{frozen, scratch}, ""},
		{"a row without", []Provenance{frozen}, "scratch n=20 seed 1 has 0 provenance entries"},
		{"a row twice", []Provenance{frozen, scratch, scratch}, "scratch n=20 seed 1 has 2 provenance entries"},
		{"an entry of nothing", []Provenance{frozen, scratch, {Method: FineTune, Sizes: []int{20}, Seeds: []uint64{1}}}, "provenance entry 3 (finetune, sizes [20], seeds [1]) covers no row"},
	} {
		err := CheckProvenance(rows, tc.provenance)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
