package audio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestCutFiles: a file of each codec cut in half loads as the frames before the
// cut — the same samples as the whole file's start — with an error wrapping
// ErrTruncated that names the file; the stream then ends; SplitFile emits the
// clips of the sound before the cut (Spans of its frames: the final-clip rule
// applies at the cut), then returns the same kind of error. The MP3 is tone.mp3,
// made by lame (testdata/make_fixtures.py).
func TestCutFiles(t *testing.T) {
	dir := t.TempDir()
	wav := filepath.Join(dir, "tone.wav")
	tone := make([]float32, 8000)
	for i := range tone {
		tone[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/8000))
	}
	if err := WriteWAV(wav, [][]float32{tone}, 8000, WAV16); err != nil {
		t.Fatal(err)
	}
	// Where to cut: the FLAC and Ogg fixtures hold few frames (pages) with the
	// first one long (tone.flac also carries 8 KB of padding before its first
	// frame), so half of the file would hold no whole one.
	for _, tc := range []struct {
		path     string
		fraction float64
	}{
		{wav, 0.5},
		{filepath.Join("testdata", "tone.flac"), 0.97},
		{filepath.Join("testdata", "tone.mp3"), 0.5},
		{filepath.Join("testdata", "vorbis_mono_22050.ogg"), 0.8},
	} {
		path := tc.path
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		cut := filepath.Join(dir, "cut-"+filepath.Base(path))
		os.WriteFile(cut, data[:int(float64(len(data))*tc.fraction)], 0o644)
		a, err := Load(cut)
		if !errors.Is(err, ErrTruncated) || !strings.HasPrefix(err.Error(), cut+": ") || a == nil {
			t.Errorf("%s: Load = %v, want the frames before the cut and ErrTruncated naming the file", cut, err)
			continue
		}
		t.Logf("%s: %d of %d frames: %v", filepath.Base(cut), a.NumFrames(), whole.NumFrames(), err)
		if n := a.NumFrames(); n < whole.NumFrames()/3 || n >= whole.NumFrames() {
			t.Errorf("%s: %d frames before the cut, whole file %d", cut, n, whole.NumFrames())
		}
		for c := range a.Channels {
			if !slices.Equal(a.Channels[c], whole.Channels[c][:a.NumFrames()]) {
				t.Errorf("%s channel %d: the frames before the cut differ from the whole file's", cut, c)
			}
		}
		// The stream: the error comes with the last frames, then io.EOF.
		s, err := Open(cut)
		if err != nil {
			t.Fatal(err)
		}
		block := make([]float32, 1024*s.Format().NumChannels)
		var readErr error
		for readErr == nil {
			_, readErr = s.Read(block)
		}
		if !errors.Is(readErr, ErrTruncated) {
			t.Errorf("%s: stream ends with %v, want ErrTruncated", cut, readErr)
		}
		if n, err := s.Read(block); n != 0 || err != io.EOF {
			t.Errorf("%s: Read after the cut = %d, %v, want 0, EOF", cut, n, err)
		}
		s.Close()
		// Splitting: the clips of the sound before the cut, as if the file
		// ended there (its final clip under the rule included), then the error.
		clips := 0
		opts := SplitOptions{ClipSeconds: 0.05, Final: FinalPad, MinFinalSeconds: 0.01}
		err = SplitFile(cut, opts, func(Clip) error { clips++; return nil })
		spans, _, serr := Spans(int64(a.NumFrames()), a.SampleRateHz, opts)
		if serr != nil {
			t.Fatal(serr)
		}
		want := len(spans)
		if !errors.Is(err, ErrTruncated) || clips != want {
			t.Errorf("%s: SplitFile gave %d clips and %v, want %d clips and ErrTruncated", cut, clips, err, want)
		}
	}
}

// mp3FrameOffsets returns the byte offset of every frame of an MP3 file without
// tags, and the end of the last one.
func mp3FrameOffsets(t *testing.T, data []byte) []int {
	t.Helper()
	var offsets []int
	off := 0
	for off+4 <= len(data) {
		h, ok := parseMP3Header(data[off:])
		if !ok {
			t.Fatalf("no MP3 frame at byte %d", off)
		}
		offsets = append(offsets, off)
		off += h.frameBytes()
	}
	if off != len(data) {
		t.Fatalf("frames end at byte %d, file at %d", off, len(data))
	}
	return append(offsets, off)
}

// TestMP3Frames: the frame count Open announces is what decodes; a file cut
// exactly between two frames is found short by its Info header (lame writes
// one); bytes that are not frames between frames are skipped and reported;
// MPEG layer II audio is refused by name.
func TestMP3Frames(t *testing.T) {
	for _, name := range []string{"tone.mp3", "tone_id3.mp3"} {
		path := filepath.Join("testdata", name)
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		frames := s.Format().Frames
		s.Close()
		a, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if frames != int64(a.NumFrames()) {
			t.Errorf("%s: Open announces %d frames, %d decode", name, frames, a.NumFrames())
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "tone.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	offsets := mp3FrameOffsets(t, data)
	whole := len(offsets) - 1
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}

	between := write("between.mp3", data[:offsets[whole-3]])
	a, err := Load(between)
	if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), fmt.Sprintf("holds %d MP3 frames, its Xing/Info header announces %d", whole-3, whole)) || a == nil {
		t.Errorf("cut between frames: %v", err)
	} else if a.NumFrames() != (whole-3)*1152 {
		t.Errorf("cut between frames: %d frames, want %d", a.NumFrames(), (whole-3)*1152)
	}

	inside := write("inside.mp3", data[:offsets[7]+100])
	if a, err := Load(inside); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), fmt.Sprintf("byte %d: file ends 100 bytes into MP3 frame 7", offsets[7])) || a == nil || a.NumFrames() != 7*1152 {
		t.Errorf("cut inside a frame: %v", err)
	}

	junk := append(append(append([]byte(nil), data[:offsets[5]]...), bytes.Repeat([]byte{0x55}, 300)...), data[offsets[5]:]...)
	if _, err := Load(write("junk.mp3", junk)); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), fmt.Sprintf("byte %d: 300 bytes between MP3 frames", offsets[5])) {
		t.Errorf("junk between frames: %v", err)
	}

	// An ID3v1 tag and padding after the last frame are not sound and not damage.
	tail := append(append(append([]byte(nil), data...), []byte("TAG")...), make([]byte, 125+64)...)
	if a, err := Load(write("tagged.mp3", tail)); err != nil || a.NumFrames() != whole*1152 {
		t.Errorf("ID3v1 tag and padding at the end: %v", err)
	}

	// MPEG-1 layer II, 128 kb/s, 44.1 kHz: a header and a silent frame's worth of zeros.
	mp2 := append([]byte{0xFF, 0xFD, 0x90, 0x00}, make([]byte, 413)...)
	mp2 = append(mp2, mp2...)
	if _, err := Load(write("song.mp2", mp2)); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "MPEG-1 layer II audio") {
		t.Errorf("layer II: %v", err)
	}
}
