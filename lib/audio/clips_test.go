package audio

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
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
		{"drop", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, Final: FinalDrop}, whole},
		{"pad", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, Final: FinalPad}, append(whole, span{8, 11})},
		{"default: pad a leftover of at least 1 s (a third)", SplitOptions{ClipSeconds: 3, OverlapSeconds: 1}, append(whole, span{8, 11})},
		{"default: drop a leftover under a third of a clip", SplitOptions{ClipSeconds: 4.5}, []span{{0, 4.5}, {4.5, 9}}},
		{"a leftover under MinFinalSeconds is dropped", SplitOptions{ClipSeconds: 4, MinFinalSeconds: 2.5}, []span{{0, 4}, {4, 8}}},
		{"negative MinFinalSeconds keeps any leftover", SplitOptions{ClipSeconds: 4.5, MinFinalSeconds: -1}, []span{{0, 4.5}, {4.5, 9}, {9, 13.5}}},
		{"a leftover within the last clip's overlap", SplitOptions{ClipSeconds: 4, OverlapSeconds: 2}, []span{{0, 4}, {2, 6}, {4, 8}, {6, 10}}},
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

// TestSpansAgree: Spans (from a frame count, as a header gives it),
// SpansOfDuration (from seconds) and the splitters (Split on the samples,
// SplitStream block by block, with resampling) cut the same clips and report
// the same dropped sound, for lengths around every boundary of the rule
// (shorter than the shortest kept leftover, exactly it, one frame more, a
// whole number of clips, …) and for every kind of final clip.
func TestSpansAgree(t *testing.T) {
	const rate = 1000
	for _, o := range []SplitOptions{
		{ClipSeconds: 3},
		{ClipSeconds: 3, OverlapSeconds: 1},
		{ClipSeconds: 3, Final: FinalDrop},
		{ClipSeconds: 3, OverlapSeconds: 1.5, Final: FinalRemainder},
		{ClipSeconds: 3, MinFinalSeconds: 2},
		{ClipSeconds: 3, MinFinalSeconds: -1},
		{ClipSeconds: 3, SampleRateHz: 800},
		{ClipSeconds: 3, OverlapSeconds: 1, SampleRateHz: 1500, MinFinalSeconds: 0.5},
	} {
		for _, frames := range []int{1, 500, 999, 1000, 1001, 1960, 2000, 2999, 3000, 3001, 3999, 4000, 4001, 5000, 6000, 7001, 9999} {
			samples := make([]float32, frames)
			for i := range samples {
				samples[i] = float32(math.Sin(float64(i) * 0.3))
			}
			var dropped []Span
			o := o
			o.Dropped = func(s Span) { dropped = append(dropped, s) }
			clips, err := Split(samples, rate, "x.wav", o)
			if err != nil {
				t.Fatal(err)
			}
			var streamed []Clip
			o.Dropped = nil
			if err := SplitStream(&toneStream{rate: rate, frames: int64(frames)}, "x.wav", o, func(c Clip) error { streamed = append(streamed, c); return nil }); err != nil {
				t.Fatal(err)
			}
			spans, drop, err := Spans(int64(frames), rate, o)
			if err != nil {
				t.Fatal(err)
			}
			bySeconds, dropBySeconds, err := SpansOfDuration(float64(frames)/rate, o)
			if err != nil {
				t.Fatal(err)
			}
			if o.SampleRateHz != 0 {
				// Seconds alone do not say how many frames resampling gives (it rounds up).
				bySeconds, dropBySeconds = spans, drop
			}
			name := fmt.Sprintf("%+v, %d frames", SplitOptions{ClipSeconds: o.ClipSeconds, OverlapSeconds: o.OverlapSeconds, Final: o.Final, MinFinalSeconds: o.MinFinalSeconds, SampleRateHz: o.SampleRateHz}, frames)
			if len(clips) != len(spans) || len(streamed) != len(spans) || len(bySeconds) != len(spans) {
				t.Fatalf("%s: Split %d clips, SplitStream %d, Spans %d, SpansOfDuration %d", name, len(clips), len(streamed), len(spans), len(bySeconds))
			}
			for k, c := range clips {
				if c.StartSeconds != spans[k].StartSeconds || c.EndSeconds != spans[k].EndSeconds || streamed[k].EndSeconds != c.EndSeconds ||
					math.Abs(bySeconds[k].EndSeconds-c.EndSeconds) > 1e-9 {
					t.Errorf("%s: clip %d: Split %v–%v, SplitStream %v–%v, Spans %v, SpansOfDuration %v", name, k, c.StartSeconds, c.EndSeconds,
						streamed[k].StartSeconds, streamed[k].EndSeconds, spans[k], bySeconds[k])
				}
			}
			switch {
			case len(dropped) > 1:
				t.Errorf("%s: Dropped called %d times", name, len(dropped))
			case len(dropped) == 1 && (dropped[0] != drop || math.Abs(dropBySeconds.EndSeconds-drop.EndSeconds) > 1e-9):
				t.Errorf("%s: Split dropped %v, Spans %v, SpansOfDuration %v", name, dropped[0], drop, dropBySeconds)
			case len(dropped) == 0 && (drop != Span{} || dropBySeconds != Span{}):
				t.Errorf("%s: Split dropped nothing, Spans %v, SpansOfDuration %v", name, drop, dropBySeconds)
			}
			// Every frame is in a clip or in the dropped span (padding aside).
			covered := drop.EndSeconds
			if len(spans) > 0 {
				covered = max(covered, min(spans[len(spans)-1].EndSeconds, float64(len(samples))/rate))
			}
			if o.SampleRateHz == 0 && math.Abs(covered-float64(frames)/rate) > 1e-9 {
				t.Errorf("%s: clips and dropped sound cover %v s of %v s", name, covered, float64(frames)/rate)
			}
		}
	}
	// The hand-computed cases of the rule's documentation: a 1.96 s file gives
	// one padded 3 s clip; a 0.8 s file none, all of it dropped.
	for _, tc := range []struct {
		seconds float64
		clips   []Span
		dropped Span
	}{
		{1.96, []Span{{0, 3}}, Span{}},
		{0.8, nil, Span{0, 0.8}},
		{3.5, []Span{{0, 3}}, Span{3, 3.5}},
		{4, []Span{{0, 3}, {3, 6}}, Span{}},
	} {
		clips, dropped, err := SpansOfDuration(tc.seconds, SplitOptions{ClipSeconds: 3, SampleRateHz: 22050})
		if err != nil || !slices.Equal(clips, tc.clips) || math.Abs(dropped.StartSeconds-tc.dropped.StartSeconds) > 1e-9 || math.Abs(dropped.EndSeconds-tc.dropped.EndSeconds) > 1e-9 {
			t.Errorf("%v s: clips %v, dropped %v, err %v; want %v, %v", tc.seconds, clips, dropped, err, tc.clips, tc.dropped)
		}
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
