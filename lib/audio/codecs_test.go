package audio

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestFLACFixture decodes testdata/tone.flac, encoded by the reference flac encoder
// from 16-bit samples round(A·sin(2π f t)·32768) (testdata/make_fixtures.py).
func TestFLACFixture(t *testing.T) {
	a, err := Load(filepath.Join("testdata", "tone.flac"))
	if err != nil {
		t.Fatal(err)
	}
	rate := 22050
	if a.SampleRateHz != rate || len(a.Channels) != 2 || a.NumFrames() != rate/4 {
		t.Fatalf("got %d Hz, %d channels, %d frames", a.SampleRateHz, len(a.Channels), a.NumFrames())
	}
	amps, freqs := []float64{0.5, 0.25}, []float64{440, 880}
	for c := 0; c < 2; c++ {
		for i, got := range a.Channels[c] {
			want := math.RoundToEven(amps[c]*math.Sin(2*math.Pi*freqs[c]*float64(i)/float64(rate))*32768) / 32768
			if math.Abs(float64(got)-want) > 1.01/32768 { // numpy's sin may differ in the last ulp before rounding
				t.Fatalf("channel %d frame %d = %v, want %v", c, i, got, want)
			}
		}
	}
}

// TestMP3Fixture decodes testdata/tone.mp3 (lame, 128 kb/s, from a 0.5 s 1 kHz tone
// at amplitude 0.5, 44.1 kHz) and compares it with the reference decoder's output,
// testdata/tone_mp3_lame.wav (lame --decode). lame strips the encoder delay and
// go-mp3 does not, so the test first finds the delay, then requires every sample of
// the reference to match within 2 LSB of 16 bits (MP3 decoders may round
// differently), and checks the tone's frequency by counting zero crossings.
func TestMP3Fixture(t *testing.T) {
	a, err := Load(filepath.Join("testdata", "tone.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Load(filepath.Join("testdata", "tone_mp3_lame.wav"))
	if err != nil {
		t.Fatal(err)
	}
	if a.SampleRateHz != 44100 || len(a.Channels) != 2 {
		t.Fatalf("got %d Hz, %d channels", a.SampleRateHz, len(a.Channels))
	}
	mono, want := a.Mono(), ref.Channels[0]
	if n := len(mono); n < len(want) || n > len(want)+4*1152 {
		t.Fatalf("%d frames, reference has %d (plus at most 4 MP3 frames of delay)", n, len(want))
	}
	maxDiff := func(delay int) float64 {
		var m float64
		for i, w := range want {
			m = math.Max(m, math.Abs(float64(mono[i+delay]-w)))
		}
		return m
	}
	best, bestDiff := 0, math.Inf(1)
	for d := 0; d+len(want) <= len(mono); d++ {
		if diff := maxDiff(d); diff < bestDiff {
			best, bestDiff = d, diff
		}
	}
	if bestDiff > 2.0/32768 {
		t.Errorf("best alignment (delay %d frames) differs from lame's decode by %v, want ≤ 2/32768", best, bestDiff)
	}
	mid := mono[5000:20000]
	crossings := 0
	for i := 1; i < len(mid); i++ {
		if (mid[i-1] < 0) != (mid[i] < 0) {
			crossings++
		}
	}
	if freq := float64(crossings) / 2 / (float64(len(mid)) / 44100); math.Abs(freq-1000) > 5 {
		t.Errorf("tone frequency %.1f Hz, want 1000", freq)
	}
}

func TestCorruptCompressedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"tone.flac", "tone.mp3"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		truncated := filepath.Join(dir, "truncated-"+name)
		os.WriteFile(truncated, data[:len(data)/2], 0o644)
		a, err := Load(truncated)
		if name == "tone.flac" && err == nil {
			t.Errorf("%s: truncated FLAC decoded without error (%d frames)", name, a.NumFrames())
		}
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrTruncated or ErrCorrupt", name, err)
		}
		headerOnly := filepath.Join(dir, "header-"+name)
		os.WriteFile(headerOnly, data[:10], 0o644)
		if _, err := Load(headerOnly); err == nil {
			t.Errorf("%s: 10-byte file decoded without error", name)
		}
	}
	unknown := filepath.Join(dir, "notes.wav")
	os.WriteFile(unknown, []byte("hello, world"), 0o644)
	if _, err := Load(unknown); !errors.Is(err, ErrUnsupported) {
		t.Errorf("text file: %v, want ErrUnsupported", err)
	}
}

// TestMP3WithID3Tag: an ID3v2 tag in front of the same encoding changes nothing in
// the decoded samples.
func TestMP3WithID3Tag(t *testing.T) {
	plain, err := Load(filepath.Join("testdata", "tone.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	tagged, err := Load(filepath.Join("testdata", "tone_id3.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := plain.Mono(), tagged.Mono()
	if len(a) != len(b) {
		t.Fatalf("%d frames untagged, %d tagged", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("frame %d: %v untagged, %v tagged", i, a[i], b[i])
		}
	}
}

// TestSplitFileCompressed: streaming a FLAC and an MP3 file into clips gives the
// same clips as decoding them whole and splitting the mono mix.
func TestSplitFileCompressed(t *testing.T) {
	for _, name := range []string{"tone.flac", "tone_id3.mp3", "vorbis_stereo_44100.ogg"} {
		path := filepath.Join("testdata", name)
		opts := SplitOptions{ClipSeconds: 0.1, OverlapSeconds: 0.05, SampleRateHz: 16000, Final: FinalRemainder}
		var streamed []Clip
		if err := SplitFile(path, opts, func(c Clip) error { streamed = append(streamed, c); return nil }); err != nil {
			t.Fatal(err)
		}
		a, _ := Load(path)
		whole, _ := Split(a.Mono(), a.SampleRateHz, path, opts)
		if len(streamed) != len(whole) || len(whole) == 0 {
			t.Fatalf("%s: %d clips streamed, %d whole", name, len(streamed), len(whole))
		}
		for k := range whole {
			for i := range whole[k].Samples {
				if streamed[k].Samples[i] != whole[k].Samples[i] {
					t.Fatalf("%s clip %d sample %d differs", name, k, i)
				}
			}
		}
	}
}
