package audio

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestFileSeconds: the length of WAV files of known lengths, read from their
// headers, is exact; a missing file or bytes that are not audio are errors.
func TestFileSeconds(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		rateHz int
		frames int
	}{{"one.wav", 8000, 8000}, {"short.wav", 22050, 4630}, {"empty.wav", 16000, 0}} {
		path := filepath.Join(dir, c.name)
		if err := WriteWAV(path, [][]float32{make([]float32, c.frames)}, c.rateHz, WAVFloat32); err != nil {
			t.Fatal(err)
		}
		want := float64(c.frames) / float64(c.rateHz)
		if got, err := FileSeconds(path); err != nil || got != want {
			t.Errorf("%s: %g s, %v; want %g s", c.name, got, err, want)
		}
	}
	if _, err := FileSeconds(filepath.Join(dir, "missing.wav")); err == nil {
		t.Error("a missing file: no error")
	}
	junk := filepath.Join(dir, "junk.wav")
	if err := os.WriteFile(junk, []byte("not audio at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FileSeconds(junk); err == nil {
		t.Error("bytes that are not audio: no error")
	}
	if _, err := StreamSeconds(bytes.NewReader(nil), "nothing.wav"); err == nil {
		t.Error("an empty stream: no error")
	}
}
