package audio

import (
	"bytes"
	"io"
	"math"
	"runtime"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// TestSplitHandComputed: 10 s at 100 Hz (sample i holds i), 3 s clips with 1 s
// overlap start at 0, 2, 4, 6 s; the 2 s left from 8 s is the final clip's business.
func TestSplitHandComputed(t *testing.T) {
	x := make([]float32, 1000)
	for i := range x {
		x[i] = float32(i)
	}
	type span struct{ start, end float64 }
	whole := []span{{0, 3}, {2, 5}, {4, 7}, {6, 9}}
	tests := []struct {
		name  string
		opts  SplitOptions
		spans []span
	}{
		{"drop", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1}, whole},
		{"pad", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, Final: FinalPad}, append(whole, span{8, 11})},
		{"remainder", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, Final: FinalRemainder}, append(whole, span{8, 10})},
		{"remainder too short", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, Final: FinalRemainder, MinFinalSeconds: 2.5}, whole},
		{"no overlap", SplitOptions{ClipSeconds: 2.5}, []span{{0, 2.5}, {2.5, 5}, {5, 7.5}, {7.5, 10}}},
		{"exact fit, nothing left", SplitOptions{ClipSeconds: 5, Final: FinalPad}, []span{{0, 5}, {5, 10}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clips, err := Split(x, 100, "a.wav", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(clips) != len(tc.spans) {
				t.Fatalf("%d clips, want %d", len(clips), len(tc.spans))
			}
			for k, c := range clips {
				if c.StartSeconds != tc.spans[k].start || c.EndSeconds != tc.spans[k].end || c.File != "a.wav" {
					t.Errorf("clip %d: %s [%v, %v], want [%v, %v]", k, c.File, c.StartSeconds, c.EndSeconds, tc.spans[k].start, tc.spans[k].end)
				}
				if len(c.Samples) != int(math.Round((c.EndSeconds-c.StartSeconds)*100)) {
					t.Errorf("clip %d: %d samples for %v s", k, len(c.Samples), c.EndSeconds-c.StartSeconds)
				}
				for i, v := range c.Samples {
					want := float32(int(c.StartSeconds*100) + i)
					if want >= 1000 {
						want = 0 // padding
					}
					if v != want {
						t.Fatalf("clip %d sample %d = %v, want %v", k, i, v, want)
					}
				}
			}
		})
	}
	if _, err := Split(x, 100, "a.wav", SplitOptions{ClipSeconds: 1, OverlapSeconds: 1}); err == nil {
		t.Error("overlap = clip length accepted")
	}
	short, _ := Split(x[:50], 100, "a.wav", SplitOptions{ClipSeconds: 1, Final: FinalPad})
	if len(short) != 1 || len(short[0].Samples) != 100 {
		t.Errorf("0.5 s file with FinalPad: %d clips, want one padded 1 s clip", len(short))
	}
}

// TestSplitStreamMatchesSplit: decoding a WAV block by block, mixing and resampling
// on the fly gives the same clips as loading it whole.
func TestSplitStreamMatchesSplit(t *testing.T) {
	rate := 44100
	left := sine(rate*3+123, rate, 440, 0.5, 0)
	right := sine(rate*3+123, rate, 3000, 0.25, 1)
	var wav bytes.Buffer
	if err := EncodeWAV(&wav, [][]float32{left, right}, rate, WAVFloat32); err != nil {
		t.Fatal(err)
	}
	opts := SplitOptions{ClipSeconds: 0.5, OverlapSeconds: 0.2, SampleRateHz: 16000, Final: FinalPad}
	s, err := NewStream(bytes.NewReader(wav.Bytes()), "st.wav")
	if err != nil {
		t.Fatal(err)
	}
	var streamed []Clip
	if err := SplitStream(s, "st.wav", opts, func(c Clip) error { streamed = append(streamed, c); return nil }); err != nil {
		t.Fatal(err)
	}
	whole := &Audio{SampleRateHz: rate, Channels: [][]float32{left, right}}
	want, err := Split(whole.Mono(), rate, "st.wav", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(streamed) != len(want) {
		t.Fatalf("%d clips streamed, %d whole", len(streamed), len(want))
	}
	for k := range want {
		if streamed[k].StartSeconds != want[k].StartSeconds || len(streamed[k].Samples) != len(want[k].Samples) {
			t.Fatalf("clip %d differs", k)
		}
		for i := range want[k].Samples {
			if streamed[k].Samples[i] != want[k].Samples[i] {
				t.Fatalf("clip %d sample %d: %v streamed, %v whole", k, i, streamed[k].Samples[i], want[k].Samples[i])
			}
		}
	}
}

// toneStream is an endless-looking Stream that computes its samples on the fly.
type toneStream struct {
	rate   int
	frames int64
	pos    int64
}

func (s *toneStream) Format() Format {
	return Format{SampleRateHz: s.rate, NumChannels: 1, BitsPerSample: 32, Encoding: Float, Frames: s.frames}
}
func (s *toneStream) Close() error { return nil }
func (s *toneStream) Read(dst []float32) (int, error) {
	n := int(min(int64(len(dst)), s.frames-s.pos))
	if n == 0 {
		return 0, io.EOF
	}
	for i := 0; i < n; i++ {
		dst[i] = float32(math.Sin(float64(s.pos+int64(i)) * 0.01))
	}
	s.pos += int64(n)
	return n, nil
}

// TestSplitStreamBoundedMemory splits an hour at 8 kHz (115 MB as float32) into 5 s
// clips, resampled to 16 kHz, and checks the live heap never approaches the file's size.
func TestSplitStreamBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("an hour of audio (skipped with -short and under -race)")
	}
	hour := &toneStream{rate: 8000, frames: 3600 * 8000}
	clips := 0
	var peak uint64
	var ms runtime.MemStats
	err := SplitStream(hour, "hour.wav", SplitOptions{ClipSeconds: 5, SampleRateHz: 16000}, func(c Clip) error {
		clips++
		if clips%100 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if clips != 720 {
		t.Errorf("%d clips, want 720", clips)
	}
	if peak > 32<<20 {
		t.Errorf("live heap reached %d MB while splitting an hour", peak>>20)
	}
}

func TestSplitFilesSkipsBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/good.wav"
	WriteWAV(good, [][]float32{sine(8000, 8000, 100, 0.5, 0)}, 8000, WAV16)
	bad := dir + "/bad.wav"
	atomicfile.Write(bad, func(w io.Writer) error { _, err := w.Write([]byte("RIFF\x00\x00\x00\x00WAVE")); return err })
	var files []string
	skipped, err := SplitFiles([]string{bad, good, dir + "/missing.flac"}, SplitOptions{ClipSeconds: 0.25}, func(c Clip) error {
		files = append(files, c.File)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 || files[0] != good {
		t.Errorf("clips from %v, want 4 from %s", files, good)
	}
	if len(skipped) != 2 || skipped[0].Path != bad {
		t.Errorf("skipped %v", skipped)
	}
}

func TestTrimAndPad(t *testing.T) {
	x := []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	got := Trim(x, 10, 0.2, 0.5)
	if len(got) != 3 || got[0] != 2 || got[2] != 4 {
		t.Errorf("Trim(0.2 s, 0.5 s) = %v, want [2 3 4]", got)
	}
	if got := Trim(x, 10, -1, 99); len(got) != 10 {
		t.Errorf("Trim clamps: got %d samples", len(got))
	}
	if got := PadTo(x[:2], 4); len(got) != 4 || got[1] != 1 || got[3] != 0 {
		t.Errorf("PadTo = %v", got)
	}
}
