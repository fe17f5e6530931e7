package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// wavBytes builds a WAV file by hand: a fmt chunk of the given fields, an optional
// extra chunk, then data.
func wavBytes(tag, channels, rate, bits int, extensibleSub int, extra []byte, data []byte) []byte {
	var fmtBody bytes.Buffer
	le := func(v any) { binary.Write(&fmtBody, binary.LittleEndian, v) }
	le(uint16(tag))
	le(uint16(channels))
	le(uint32(rate))
	le(uint32(rate * channels * bits / 8))
	le(uint16(channels * bits / 8))
	le(uint16(bits))
	if tag == wavFormatExtensible {
		le(uint16(22))            // cbSize
		le(uint16(bits))          // valid bits
		le(uint32(0))             // channel mask
		le(uint16(extensibleSub)) // SubFormat GUID's first two bytes
		fmtBody.Write([]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
	}
	var b bytes.Buffer
	w := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(0)) // RIFF size is not checked by readers in the wild; leave it wrong on purpose
	b.WriteString("WAVEfmt ")
	w(uint32(fmtBody.Len()))
	b.Write(fmtBody.Bytes())
	b.Write(extra)
	b.WriteString("data")
	w(uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

func decodeBytes(t *testing.T, file []byte) (*Audio, error) {
	t.Helper()
	s, err := NewStream(bytes.NewReader(file), "test.wav")
	if err != nil {
		return nil, err
	}
	return ReadAll(s)
}

func TestWAVDecodeHandBuilt(t *testing.T) {
	odd := []byte("LIST\x03\x00\x00\x00abc\x00") // odd-sized chunk with its pad byte
	tests := []struct {
		name     string
		file     []byte
		rate     int
		channels [][]float32 // expected, computed by hand
	}{
		{"pcm8", wavBytes(1, 1, 8000, 8, 0, nil, []byte{0, 128, 255, 64}), 8000,
			[][]float32{{-1, 0, 127.0 / 128, -0.5}}},
		{"pcm16 stereo", wavBytes(1, 2, 16000, 16, 0, odd, []byte{0x00, 0x40, 0x00, 0x80, 0xFF, 0x7F, 0xFF, 0xFF}), 16000,
			[][]float32{{0.5, 32767.0 / 32768}, {-1, -1.0 / 32768}}},
		{"pcm24", wavBytes(1, 1, 48000, 24, 0, nil, []byte{0x00, 0x00, 0x40, 0x01, 0x00, 0x80, 0xFF, 0xFF, 0xFF}), 48000,
			[][]float32{{0.5, -1 + 1.0/(1<<23), -1.0 / (1 << 23)}}},
		{"pcm32", wavBytes(1, 1, 44100, 32, 0, nil, []byte{0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x20}), 44100,
			[][]float32{{-0.5, 0.25}}},
		{"float32", wavBytes(3, 1, 22050, 32, 0, nil, f32bytes(0.125, -2.5)), 22050,
			[][]float32{{0.125, -2.5}}},
		{"float64", wavBytes(3, 2, 96000, 64, 0, nil, f64bytes(0.1, -0.2, 1e-3, 4)), 96000,
			[][]float32{{float32(0.1), float32(1e-3)}, {float32(-0.2), 4}}},
		{"extensible pcm24 stereo", wavBytes(wavFormatExtensible, 2, 32000, 24, 1, odd, []byte{0x00, 0x00, 0x40, 0x00, 0x00, 0xC0}), 32000,
			[][]float32{{0.5}, {-0.5}}},
		{"extensible float32", wavBytes(wavFormatExtensible, 1, 8000, 32, 3, nil, f32bytes(0.75)), 8000,
			[][]float32{{0.75}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := decodeBytes(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if a.SampleRateHz != tc.rate {
				t.Errorf("rate %d, want %d", a.SampleRateHz, tc.rate)
			}
			if len(a.Channels) != len(tc.channels) {
				t.Fatalf("%d channels, want %d", len(a.Channels), len(tc.channels))
			}
			for c := range tc.channels {
				if len(a.Channels[c]) != len(tc.channels[c]) {
					t.Fatalf("channel %d: %d frames, want %d", c, len(a.Channels[c]), len(tc.channels[c]))
				}
				for i, want := range tc.channels[c] {
					if got := a.Channels[c][i]; got != want {
						t.Errorf("channel %d frame %d = %v, want %v", c, i, got, want)
					}
				}
			}
		})
	}
}

func f32bytes(vs ...float32) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, vs)
	return b.Bytes()
}

func f64bytes(vs ...float64) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, vs)
	return b.Bytes()
}

// TestWAVScipyFixtures decodes files written by scipy.io.wavfile
// (testdata/make_fixtures.py) and checks them against the formulas that made them.
func TestWAVScipyFixtures(t *testing.T) {
	n := 100
	ramp16 := make([]float64, n) // np.linspace(-32768, 32767, n).round()
	for i := range ramp16 {
		ramp16[i] = math.RoundToEven(-32768 + float64(i)*(32767+32768)/float64(n-1))
	}
	tests := []struct {
		file     string
		rate     int
		expected func(c, i int) float64
		channels int
	}{
		{"scipy_pcm16_stereo.wav", 8000, func(c, i int) float64 {
			if c == 0 {
				return ramp16[i] / 32768
			}
			return math.Min(-ramp16[i], 32767) / 32768
		}, 2},
		{"scipy_pcm32_mono.wav", 8000, func(c, i int) float64 { return (ramp16[i]*65536 + 12345) / (1 << 31) }, 1},
		{"scipy_u8_mono.wav", 8000, func(c, i int) float64 {
			return (math.RoundToEven(float64(i)*255/float64(n-1)) - 128) / 128
		}, 1},
		{"scipy_f32_mono.wav", 8000, func(c, i int) float64 { return float64(i)/64 - 0.75 }, 1},
		{"scipy_f64_stereo.wav", 8000, func(c, i int) float64 {
			if c == 0 {
				return float64(i) / 100
			}
			return -float64(i) / 50
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			a, err := Load(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if a.SampleRateHz != tc.rate || len(a.Channels) != tc.channels || a.NumFrames() != n {
				t.Fatalf("got %d Hz, %d channels, %d frames; want %d Hz, %d, %d", a.SampleRateHz, len(a.Channels), a.NumFrames(), tc.rate, tc.channels, n)
			}
			for c := range a.Channels {
				for i, got := range a.Channels[c] {
					want := tc.expected(c, i)
					if math.Abs(float64(got)-want) > 1e-7*math.Max(1, math.Abs(want)) {
						t.Fatalf("channel %d frame %d = %v, want %v", c, i, got, want)
					}
				}
			}
		})
	}
}

func TestWAVErrors(t *testing.T) {
	good := wavBytes(1, 1, 8000, 16, 0, nil, []byte{1, 0, 2, 0})
	tests := []struct {
		name     string
		file     []byte
		sentinel error
	}{
		{"empty", nil, ErrEmpty},
		{"not riff", []byte("RIFX\x00\x00\x00\x00WAVE"), ErrUnsupported},
		{"short header", []byte("RIFF\x00\x00"), ErrTruncated},
		{"not wave", []byte("RIFF\x00\x00\x00\x00AVI "), ErrCorrupt},
		{"alaw", wavBytes(6, 1, 8000, 8, 0, nil, []byte{1}), ErrUnsupported},
		{"12-bit", wavBytes(1, 1, 8000, 12, 0, nil, []byte{1, 2}), ErrUnsupported},
		{"float16", wavBytes(3, 1, 8000, 16, 0, nil, []byte{1, 2}), ErrUnsupported},
		{"zero channels", wavBytes(1, 0, 8000, 16, 0, nil, nil), ErrCorrupt},
		{"zero rate", wavBytes(1, 1, 0, 16, 0, nil, nil), ErrCorrupt},
		{"truncated data", good[:len(good)-1], ErrTruncated},
		{"no data chunk", good[:36], ErrCorrupt},
		{"data before fmt", []byte("RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00"), ErrCorrupt},
		{"chunk runs past end", append(good[:36:36], []byte("LIST\xff\x00\x00\x00ab")...), ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeBytes(t, tc.file)
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("error %v, want one wrapping %v", err, tc.sentinel)
			}
			if !bytes.Contains([]byte(err.Error()), []byte("test.wav")) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestLoadRejectsEmptyAndSilent(t *testing.T) {
	dir := t.TempDir()
	silent := filepath.Join(dir, "silent.wav")
	if err := WriteWAV(silent, [][]float32{make([]float32, 100)}, 8000, WAV16); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.wav")
	if err := WriteWAV(empty, [][]float32{{}}, 8000, WAV16); err != nil {
		t.Fatal(err)
	}
	zeroBytes := filepath.Join(dir, "zero.wav")
	os.WriteFile(zeroBytes, nil, 0o644)
	if _, err := Load(silent); !errors.Is(err, ErrSilent) {
		t.Errorf("silent file: %v, want ErrSilent", err)
	}
	if _, err := Load(empty); !errors.Is(err, ErrEmpty) {
		t.Errorf("header-only file: %v, want ErrEmpty", err)
	}
	if _, err := Load(zeroBytes); !errors.Is(err, ErrEmpty) {
		t.Errorf("0-byte file: %v, want ErrEmpty", err)
	}
	good := filepath.Join(dir, "good.wav")
	WriteWAV(good, [][]float32{{0.5}}, 8000, WAV16)
	loaded, skipped := LoadAll([]string{silent, good, filepath.Join(dir, "missing.wav")})
	if loaded[1] == nil || loaded[0] != nil || loaded[2] != nil || len(skipped) != 2 {
		t.Fatalf("LoadAll: loaded %v, skipped %v", loaded, skipped)
	}
	if skipped[0].Path != silent || !errors.Is(skipped[1], os.ErrNotExist) {
		t.Errorf("skipped = %v", skipped)
	}
}

func TestWriteWAVRoundTrip(t *testing.T) {
	dir := t.TempDir()
	// Values chosen so the 16- and 24-bit codes are known by hand.
	in := [][]float32{{0, 0.5, -1, 1, -0.25, 2}, {0.1, -0.1, 0, 0, 0, -3}}
	tests := []struct {
		format WAVFormat
		want   [][]float32
	}{
		{WAV16, [][]float32{{0, 0.5, -1, 32767.0 / 32768, -0.25, 32767.0 / 32768}, {3277.0 / 32768, -3277.0 / 32768, 0, 0, 0, -1}}},
		{WAV24, [][]float32{{0, 0.5, -1, 8388607.0 / 8388608, -0.25, 8388607.0 / 8388608}, {838861.0 / 8388608, -838861.0 / 8388608, 0, 0, 0, -1}}},
		{WAVFloat32, in},
	}
	for _, tc := range tests {
		path := filepath.Join(dir, "x.wav")
		if err := WriteWAV(path, in, 12345, tc.format); err != nil {
			t.Fatal(err)
		}
		a, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if a.SampleRateHz != 12345 {
			t.Errorf("format %d: rate %d", tc.format, a.SampleRateHz)
		}
		for c := range tc.want {
			for i := range tc.want[c] {
				if a.Channels[c][i] != tc.want[c][i] {
					t.Errorf("format %d: channel %d frame %d = %v, want %v", tc.format, c, i, a.Channels[c][i], tc.want[c][i])
				}
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after atomic writes, want 1 (no temp files)", len(entries))
	}
	if err := WriteWAV(filepath.Join(dir, "no", "such", "dir.wav"), in, 8000, WAV16); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestMono(t *testing.T) {
	a := &Audio{SampleRateHz: 8000, Channels: [][]float32{{1, 0.5, -1}, {0, 0.5, 0}, {0.5, -1, 1}}}
	want := []float32{0.5, 0, 0}
	got := a.Mono()
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-7 {
			t.Errorf("Mono()[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestWAVPartialFrame: a "data" chunk whose size is not a whole number of frames
// — an odd size without its RIFF pad byte, a common writer bug (Debian
// ktuberling-data's Rooster.wav) — gives its whole frames, as sox does (sox
// reads 22051 frames from 22051 16-bit frames and a stray byte); the stray bytes
// are ignored. Cut short as well, it is ErrTruncated.
func TestWAVPartialFrame(t *testing.T) {
	// Three 16-bit mono frames, 0x0100, 0x0200, 0x8000, and a stray byte: the
	// chunk's size is 7, and the file ends there, without a pad byte.
	data := []byte{0, 1, 0, 2, 0, 0x80, 0x55}
	file := wavBytes(1, 1, 8000, 16, 0, nil, data)
	s, err := NewStream(bytes.NewReader(file), "test.wav")
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Format().Frames; f != 3 {
		t.Errorf("Format().Frames = %d, want 3", f)
	}
	a, err := ReadAll(s)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{256.0 / 32768, 512.0 / 32768, -1}
	if len(a.Channels) != 1 || !slices.Equal(a.Channels[0], want) {
		t.Errorf("samples %v, want %v", a.Channels, want)
	}
	// 24-bit stereo (6-byte frames), two frames and 3 stray bytes.
	data = []byte{0, 0, 0x40, 0, 0, 0xC0, 1, 0, 0, 0, 0, 0, 9, 9, 9}
	a, err = decodeBytes(t, wavBytes(1, 2, 8000, 24, 0, nil, data))
	if err != nil {
		t.Fatal(err)
	}
	if a.NumFrames() != 2 || a.Channels[0][0] != 0.5 || a.Channels[1][0] != -0.5 || a.Channels[0][1] != 1.0/(1<<23) || a.Channels[1][1] != 0 {
		t.Errorf("24-bit stereo: %v, want [[0.5 2^-23] [-0.5 0]]", a.Channels)
	}
	// Only a partial frame: no frames, which Load refuses as empty.
	empty := filepath.Join(t.TempDir(), "partial.wav")
	os.WriteFile(empty, wavBytes(1, 2, 8000, 16, 0, nil, []byte{1, 2, 3}), 0o644)
	if _, err := Load(empty); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), empty) {
		t.Errorf("only a partial frame: %v, want ErrEmpty naming the file", err)
	}
	// Cut inside the whole frames: still cut.
	file = wavBytes(1, 1, 8000, 16, 0, nil, []byte{0, 1, 0, 2, 0, 0x80, 0x55})
	a, err = decodeBytes(t, file[:len(file)-4])
	if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "test.wav") || a == nil || a.NumFrames() != 1 {
		t.Errorf("cut: %v, want the 1 whole frame before the cut and ErrTruncated naming the file", err)
	}
}
