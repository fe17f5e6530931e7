package audio

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMustLoad: the same Audio as Load for a good file, a panic naming the file for a
// missing one.
func TestMustLoad(t *testing.T) {
	path := filepath.Join("testdata", "scipy_pcm16_stereo.wav")
	want, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got := MustLoad(path)
	if got.SampleRateHz != want.SampleRateHz || got.NumFrames() != want.NumFrames() || len(got.Channels) != len(want.Channels) {
		t.Errorf("MustLoad: %d Hz, %d frames, %d channels; Load: %d Hz, %d frames, %d channels",
			got.SampleRateHz, got.NumFrames(), len(got.Channels), want.SampleRateHz, want.NumFrames(), len(want.Channels))
	}
	missing := filepath.Join(t.TempDir(), "missing.wav")
	defer func() {
		r := recover()
		if err, ok := r.(error); !ok || !strings.Contains(err.Error(), "missing.wav") {
			t.Errorf("MustLoad of a missing file: recovered %v, want an error naming the file", r)
		}
	}()
	MustLoad(missing)
}
