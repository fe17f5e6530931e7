package dataset

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// TestLoadClips writes a stereo ramp (left i, right -i/2 at frame i, so mono is i/4) and
// cuts rows out of it: every clip's first and last value and length are worked out by hand.
func TestLoadClips(t *testing.T) {
	dir := t.TempDir()
	const rate = 1000
	left, right := make([]float32, 3*rate), make([]float32, 3*rate)
	for i := range left {
		left[i], right[i] = float32(i)/4096, -float32(i)/8192
	}
	if err := audio.WriteWAV(filepath.Join(dir, "ramp.wav"), [][]float32{left, right}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	table := &LabelTable{Classes: []string{"x"}, Rows: []Row{
		{File: "ramp.wav", StartSeconds: 1, EndSeconds: 2, Labels: []int{1}},
		{File: "ramp.wav", StartSeconds: 0, EndSeconds: 0, Labels: []int{1}}, // the whole file
		{File: "ramp.wav", StartSeconds: 2.5, EndSeconds: 3.5, Labels: []int{1}},
		{File: "gone.wav", EndSeconds: 1, Labels: []int{1}},
	}}
	mono := func(i int) float32 { return float32(i) / 4096 / 4 } // (i/4096 − i/8192)/2
	clips, err := LoadClips(dir, table, []int{0, 1}, rate)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []struct{ first, n int }{{1000, 1000}, {0, 3000}} {
		c := clips[k]
		if len(c) != want.n || c[0] != mono(want.first) || c[len(c)-1] != mono(want.first+want.n-1) {
			t.Errorf("clip %d: %d samples from %v to %v; want %d from %v to %v", k, len(c), c[0], c[len(c)-1],
				want.n, mono(want.first), mono(want.first+want.n-1))
		}
	}
	half, err := LoadClips(dir, table, []int{0}, rate/2) // resampled: 500 samples for 1 s
	if err != nil || len(half[0]) != 500 {
		t.Errorf("at %d Hz: %d samples, %v; want 500", rate/2, len(half[0]), err)
	}
	for _, tc := range []struct {
		rows []int
		rate int
		want string
	}{
		{[]int{2}, rate, "span 2.5–3.5 s is not inside the file's 3.000 s"},
		{[]int{3}, rate, "gone.wav"},
		{[]int{9}, rate, "row 9 out of"},
		{[]int{0}, 0, "at 0 Hz"},
	} {
		if _, err := LoadClips(dir, table, tc.rows, tc.rate); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("rows %v at %d Hz: error %v, want one containing %q", tc.rows, tc.rate, err, tc.want)
		}
	}
}
