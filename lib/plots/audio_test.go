package plots

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// TestShowAudioOutsideNotebookSavesWAV saves a known tone and reads it back: the file
// holds the samples at the rate given, within 16-bit quantisation.
func TestShowAudioOutsideNotebookSavesWAV(t *testing.T) {
	Dir = t.TempDir()
	const rate = 8000
	tone := make([]float32, rate/4)
	for i := range tone {
		tone[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/rate))
	}
	if err := ShowAudio(tone, rate, "tone", "a 440 Hz tone"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(Dir, "tone.wav"))
	if err != nil {
		t.Fatal(err)
	}
	stream, err := audio.NewWAVStream(bytes.NewReader(data), "tone.wav")
	if err != nil {
		t.Fatal(err)
	}
	a, err := audio.ReadAll(stream)
	if err != nil {
		t.Fatal(err)
	}
	channels, gotRate := a.Channels, a.SampleRateHz
	if gotRate != rate || len(channels) != 1 || len(channels[0]) != len(tone) {
		t.Fatalf("read back %d channel(s) of %d samples at %d Hz, want 1 of %d at %d", len(channels), len(channels[0]), gotRate, len(tone), rate)
	}
	for i, v := range channels[0] {
		if d := math.Abs(float64(v - tone[i])); d > 1.0/32767 {
			t.Fatalf("sample %d: %g, want %g", i, v, tone[i])
		}
	}
}

func TestShowAudioRejectsBadName(t *testing.T) {
	Dir = t.TempDir()
	for _, name := range []string{"", "a/b", ".."} {
		if err := ShowAudio([]float32{0}, 8000, name, ""); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
}
