package audio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// soxFigures is what sox (through libvorbis, the reference decoder) reads from a
// fixture: testdata/ogg_sox.json, written by testdata/make_ogg_fixtures.py.
type soxFigures struct {
	RateHz   int       `json:"rate_hz"`
	Channels int       `json:"channels"`
	Frames   int64     `json:"frames"`
	RMS      []float64 `json:"rms"`
}

func readSoxFigures(t testing.TB) map[string]soxFigures {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ogg_sox.json"))
	if err != nil {
		t.Fatal(err)
	}
	var figs map[string]soxFigures
	if err := json.Unmarshal(data, &figs); err != nil {
		t.Fatal(err)
	}
	if len(figs) == 0 {
		t.Fatal("testdata/ogg_sox.json lists no files")
	}
	return figs
}

// TestOggAgainstSox: each Ogg Vorbis fixture decodes to the sample rate, channels,
// frames and per-channel RMS that sox reads from it. sox prints the RMS to 6
// digits and both decoders compute in floating point, so the RMS must agree to
// 2e-5 absolute.
func TestOggAgainstSox(t *testing.T) {
	for name, want := range readSoxFigures(t) {
		path := filepath.Join("testdata", name)
		if name == "vorbis_51_48000.ogg" {
			// The pure-Go decoder cannot read this layout; it must say so.
			_, err := Load(path)
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), path+": a 6-channel (5.1) Ogg Vorbis file") {
				t.Errorf("%s: %v, want ErrUnsupported naming the file and the 5.1 layout", name, err)
			}
			continue
		}
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		f := s.Format()
		s.Close()
		if f.SampleRateHz != want.RateHz || f.NumChannels != want.Channels || f.Frames != want.Frames || f.Encoding != Vorbis {
			t.Errorf("%s: Format %+v, sox reads %d Hz, %d channels, %d frames", name, f, want.RateHz, want.Channels, want.Frames)
		}
		a, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if a.SampleRateHz != want.RateHz || len(a.Channels) != want.Channels || int64(a.NumFrames()) != want.Frames {
			t.Fatalf("%s: decoded %d Hz, %d channels, %d frames; sox reads %d Hz, %d channels, %d frames",
				name, a.SampleRateHz, len(a.Channels), a.NumFrames(), want.RateHz, want.Channels, want.Frames)
		}
		for c, ch := range a.Channels {
			if got := rms(ch); math.Abs(got-want.RMS[c]) > 2e-5 {
				t.Errorf("%s channel %d: RMS %.6f, sox %.6f", name, c, got, want.RMS[c])
			}
		}
		// A reader that cannot seek gives the same samples, with the length unknown.
		data, _ := os.ReadFile(path)
		st, err := NewStream(bytes.NewReader(data), name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Format().Frames != -1 {
			t.Errorf("%s: unseekable stream announces %d frames, want -1 (unknown)", name, st.Format().Frames)
		}
		b, err := ReadAll(st)
		if err != nil {
			t.Fatal(err)
		}
		for c := range a.Channels {
			if !slices.Equal(a.Channels[c], b.Channels[c]) {
				t.Errorf("%s channel %d: streamed samples differ from the file's", name, c)
			}
		}
	}
}

// oggPageOffsets returns the byte offset of every page of a valid Ogg file.
func oggPageOffsets(t *testing.T, data []byte) []int {
	t.Helper()
	var offsets []int
	for off := 0; off < len(data); {
		if string(data[off:off+4]) != "OggS" {
			t.Fatalf("no page at byte %d", off)
		}
		offsets = append(offsets, off)
		nseg := int(data[off+26])
		size := oggHeaderBytes + nseg
		for _, s := range data[off+oggHeaderBytes : off+oggHeaderBytes+nseg] {
			size += int(s)
		}
		off += size
	}
	return offsets
}

// TestOggCut: a file cut inside its headers is an error; a file cut inside its
// audio (inside a page) gives the frames before the cut and an error wrapping
// ErrTruncated that names the file; the stream then ends. A file that ends
// exactly between two pages, without its end-of-stream flag, reads as a whole
// file of those pages (TestOggWithoutEOS).
func TestOggCut(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "vorbis_mono_22050.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	pages := oggPageOffsets(t, data)
	if len(pages) < 4 {
		t.Fatalf("fixture has %d pages, want ≥ 4", len(pages))
	}
	whole, _ := ReadAll(mustStream(t, data, "whole.ogg"))
	tests := []struct {
		name string
		cut  int
	}{
		{"inside the first header", 20},
		{"inside the first page", pages[0] + 40},
		{"inside the setup header", pages[1] + 30},
		{"inside an audio page", (pages[len(pages)-2] + pages[len(pages)-1]) / 2},
		{"half", len(data) / 2},
	}
	for _, tc := range tests {
		name := "cut-" + strings.ReplaceAll(tc.name, " ", "-") + ".ogg"
		s, err := NewStream(bytes.NewReader(data[:tc.cut]), name)
		if err != nil {
			if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), name) {
				t.Errorf("%s: %v, want ErrTruncated naming the file", tc.name, err)
			}
			t.Logf("%s (byte %d of %d): %v", tc.name, tc.cut, len(data), err)
			continue
		}
		a, err := ReadAll(s)
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want ErrTruncated naming the file", tc.name, err)
			continue
		}
		t.Logf("%s (byte %d of %d): %d of %d frames: %v", tc.name, tc.cut, len(data), a.NumFrames(), whole.NumFrames(), err)
		if a.NumFrames() >= whole.NumFrames() {
			t.Errorf("%s: %d frames before the cut, whole file %d", tc.name, a.NumFrames(), whole.NumFrames())
		}
		// What was decoded is the start of the whole file.
		for i, v := range a.Channels[0] {
			if v != whole.Channels[0][i] {
				t.Errorf("%s: frame %d = %v, whole file %v", tc.name, i, v, whole.Channels[0][i])
				break
			}
		}
		if n, err := s.Read(make([]float32, 64)); n != 0 || err != io.EOF {
			t.Errorf("%s: Read after the cut = %d, %v, want 0, EOF", tc.name, n, err)
		}
	}
}

func mustStream(t *testing.T, data []byte, name string) Stream {
	t.Helper()
	s, err := NewStream(bytes.NewReader(data), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rewritePage applies change to page k of an Ogg file and recomputes its checksum.
func rewritePage(t *testing.T, data []byte, k int, change func(page []byte)) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	offsets := append(oggPageOffsets(t, data), len(data))
	page := out[offsets[k]:offsets[k+1]]
	change(page)
	binary.LittleEndian.PutUint32(page[22:], oggPageCRC(page))
	return out
}

// TestOggDamaged: damaged, foreign and unusual Ogg files give errors that name the
// file and the problem.
func TestOggDamaged(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "vorbis_mono_22050.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	pages := oggPageOffsets(t, data)
	flipped := append([]byte(nil), data...)
	flipped[(pages[2]+pages[3])/2] ^= 0x10
	opus := oggPage(0, 0, oggFlagBOS, 0, []byte("OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"))
	flacInOgg := oggPage(0, 0, oggFlagBOS, 0, []byte("\x7fFLAC\x01\x00\x00\x01fLaC"))
	speex := oggPage(0, 0, oggFlagBOS, 0, append([]byte("Speex   1.2"), make([]byte, 69)...))
	tests := []struct {
		name     string
		file     []byte
		sentinel error
		says     string
	}{
		{"flipped bit", flipped, ErrCorrupt, "checksum"},
		{"missing page", append(append([]byte(nil), data[:pages[3]]...), data[pages[4]:]...), ErrCorrupt, "pages are missing"},
		{"second stream", rewritePage(t, data, 3, func(p []byte) { p[14] ^= 1 }), ErrUnsupported, "second logical stream"},
		{"chained", append(append([]byte(nil), data...), data...), ErrUnsupported, "chained"},
		{"garbage page", append(append([]byte(nil), data[:pages[3]]...), bytes.Repeat([]byte("x"), 100)...), ErrCorrupt, "expected \"OggS\""},
		{"opus", opus, ErrUnsupported, "Opus"},
		{"flac in ogg", flacInOgg, ErrUnsupported, "FLAC"},
		{"speex", speex, ErrUnsupported, "Speex"},
		{"header only", data[:4], ErrTruncated, "first Ogg page"},
	}
	for _, tc := range tests {
		name := strings.ReplaceAll(tc.name, " ", "-") + ".ogg"
		s, err := NewStream(bytes.NewReader(tc.file), name)
		if err == nil {
			_, err = ReadAll(s)
		}
		if !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want %v naming the file and saying %q", tc.name, err, tc.sentinel, tc.says)
		}
	}
	// The same files on disk, through Load.
	dir := t.TempDir()
	opusPath := filepath.Join(dir, "crow.ogg")
	os.WriteFile(opusPath, opus, 0o644)
	if _, err := Load(opusPath); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "crow.ogg: an Ogg file of Opus audio") {
		t.Errorf("Opus file: %v", err)
	}
}

// oggPage builds one Ogg page holding one packet (< 255 bytes).
func oggPage(serial, seq uint32, flags byte, granule int64, packet []byte) []byte {
	page := []byte("OggS\x00")
	page = append(page, flags)
	page = binary.LittleEndian.AppendUint64(page, uint64(granule))
	page = binary.LittleEndian.AppendUint32(page, serial)
	page = binary.LittleEndian.AppendUint32(page, seq)
	page = append(page, 0, 0, 0, 0, 1, byte(len(packet)))
	page = append(page, packet...)
	binary.LittleEndian.PutUint32(page[22:], oggPageCRC(page))
	return page
}

// TestOggCRC: the checksum of every page of a file libvorbis wrote matches the
// one stored in it (an independent check of oggPageCRC).
func TestOggCRC(t *testing.T) {
	for name := range readSoxFigures(t) {
		data, _ := os.ReadFile(filepath.Join("testdata", name))
		offsets := append(oggPageOffsets(t, data), len(data))
		for k := 0; k+1 < len(offsets); k++ {
			page := data[offsets[k]:offsets[k+1]]
			if got, want := oggPageCRC(page), binary.LittleEndian.Uint32(page[22:]); got != want {
				t.Errorf("%s page %d: CRC %08x, stored %08x", name, k, got, want)
			}
		}
	}
}

// TestOggWithoutEOS: an Ogg Vorbis file whose last page lacks the end-of-stream
// flag (some writers omit it; sox decodes such files in full) reads as the whole
// file: the same samples, the length sox gives the original (ogg_sox.json) in
// its Format, and no error. A file that ends between two pages reads the same
// way, as the pages it holds; a cut inside the last page is still ErrTruncated.
func TestOggWithoutEOS(t *testing.T) {
	const fixture = "vorbis_stereo_44100.ogg"
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	pages := oggPageOffsets(t, data)
	last := len(pages) - 1
	if data[pages[last]+5]&oggFlagEOS == 0 {
		t.Fatalf("%s: the last page has no end-of-stream flag to clear", fixture)
	}
	// The checksum code recomputes the fixture's own (libogg's) first.
	if page := data[pages[last]:]; oggPageCRC(page) != binary.LittleEndian.Uint32(page[22:]) {
		t.Fatalf("%s: oggPageCRC disagrees with libogg's checksum of the last page", fixture)
	}
	noEOS := rewritePage(t, data, last, func(page []byte) { page[5] &^= oggFlagEOS })
	whole, err := Load(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "no_eos.ogg")
	if err := os.WriteFile(path, noEOS, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := readSoxFigures(t)[fixture].Frames
	if f := s.Format().Frames; f != want {
		t.Errorf("Format().Frames = %d, want %d (sox)", f, want)
	}
	s.Close()
	a, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if int64(a.NumFrames()) != want {
		t.Errorf("Load: %d frames, want %d (sox)", a.NumFrames(), want)
	}
	for c := range whole.Channels {
		if !slices.Equal(a.Channels[c], whole.Channels[c]) {
			t.Errorf("channel %d differs from the file with its end-of-stream flag", c)
		}
	}

	// Between two pages (of a fixture with several audio pages): the pages
	// before, whole.
	mono, err := os.ReadFile(filepath.Join("testdata", "vorbis_mono_22050.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	monoPages := oggPageOffsets(t, mono)
	if whole, err = Load(filepath.Join("testdata", "vorbis_mono_22050.ogg")); err != nil {
		t.Fatal(err)
	}
	between := filepath.Join(dir, "between.ogg")
	os.WriteFile(between, mono[:monoPages[len(monoPages)-1]], 0o644)
	b, err := Load(between)
	if err != nil || b.NumFrames() == 0 || b.NumFrames() >= whole.NumFrames() {
		t.Fatalf("ends between pages: %v, want the frames of the pages before, no error", err)
	}
	for c := range b.Channels {
		if !slices.Equal(b.Channels[c], whole.Channels[c][:b.NumFrames()]) {
			t.Errorf("ends between pages: channel %d is not the start of the whole file's", c)
		}
	}
	// Inside the last page, without its flag: still cut.
	inside := filepath.Join(dir, "inside.ogg")
	os.WriteFile(inside, noEOS[:len(noEOS)-10], 0o644)
	if _, err := Load(inside); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), inside) {
		t.Errorf("cut inside the last page: %v, want ErrTruncated naming the file", err)
	}
}
