package audio

import (
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// noSeek hides a stream's frameSeeker, so that splitStreamFrom decodes and
// discards the frames before its first clip, as it does for FLAC and MP3.
type noSeek struct{ Stream }

// TestSplitFileFromMatchesSplitFile: for every clip number first, the clips
// SplitFileFrom emits are SplitFile's from that index on, sample for sample,
// with the same dropped sound — at the source rate and resampled (down, up,
// odd ratios), mono and stereo, with overlap, each final-clip rule — both by
// seeking in the WAV file and by decoding up to the first clip.
func TestSplitFileFromMatchesSplitFile(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		name     string
		rateHz   int
		channels int
		seconds  float64
		opts     SplitOptions
	}{
		{"same rate", 22050, 1, 20.3, SplitOptions{ClipSeconds: 3, SampleRateHz: 22050}},
		{"down 44.1k stereo", 44100, 2, 14.5, SplitOptions{ClipSeconds: 3, SampleRateHz: 22050}},
		{"up 16k overlap", 16000, 1, 12.7, SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, SampleRateHz: 22050}},
		{"48k to 22.05k drop", 48000, 1, 10.2, SplitOptions{ClipSeconds: 3, SampleRateHz: 22050, Final: FinalDrop}},
		{"remainder, short hop", 8000, 1, 5.5, SplitOptions{ClipSeconds: 1, OverlapSeconds: 0.75, SampleRateHz: 11025, Final: FinalRemainder}},
		{"tail dropped", 22050, 1, 9.5, SplitOptions{ClipSeconds: 3, SampleRateHz: 32000}},
		{"only overlap left", 22050, 1, 11, SplitOptions{ClipSeconds: 3, OverlapSeconds: 1, SampleRateHz: 22050}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := int(tc.seconds * float64(tc.rateHz))
			chans := make([][]float32, tc.channels)
			for c := range chans {
				chans[c] = make([]float32, n)
				for i := range chans[c] {
					chans[c][i] = float32(0.5*math.Sin(float64(i)*0.01*float64(c+1)) + 0.1*rng.NormFloat64())
				}
			}
			path := filepath.Join(dir, tc.name+".wav")
			if err := WriteWAV(path, chans, tc.rateHz, WAVFloat32); err != nil {
				t.Fatal(err)
			}
			var all []Clip
			var allDropped []Span
			opts := tc.opts
			opts.Dropped = func(s Span) { allDropped = append(allDropped, s) }
			if err := SplitFile(path, opts, func(c Clip) error { all = append(all, c); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(all) < 3 {
				t.Fatalf("%d clips: too few to test", len(all))
			}
			for _, seek := range []bool{true, false} {
				for first := 1; first < len(all); first++ {
					var got []Clip
					var dropped []Span
					opts.Dropped = func(s Span) { dropped = append(dropped, s) }
					s, err := Open(path)
					if err != nil {
						t.Fatal(err)
					}
					if !seek {
						s = noSeek{s}
					}
					err = splitStreamFrom(s, path, opts, first, func(c Clip) error { got = append(got, c); return nil })
					s.Close()
					if err != nil {
						t.Fatalf("seek %v, from clip %d: %v", seek, first, err)
					}
					want := all[first:]
					if len(got) != len(want) {
						t.Fatalf("seek %v, from clip %d: %d clips, want %d", seek, first, len(got), len(want))
					}
					for i := range want {
						g, w := got[i], want[i]
						if g.StartSeconds != w.StartSeconds || g.EndSeconds != w.EndSeconds || len(g.Samples) != len(w.Samples) {
							t.Fatalf("seek %v, from clip %d: clip %d spans %g–%g s (%d samples), want %g–%g s (%d)", seek, first, i,
								g.StartSeconds, g.EndSeconds, len(g.Samples), w.StartSeconds, w.EndSeconds, len(w.Samples))
						}
						for j := range w.Samples {
							if math.Float32bits(g.Samples[j]) != math.Float32bits(w.Samples[j]) {
								t.Fatalf("seek %v, from clip %d: clip %d sample %d = %v, SplitFile %v", seek, first, i, j, g.Samples[j], w.Samples[j])
							}
						}
					}
					if len(dropped) != len(allDropped) || len(dropped) > 0 && dropped[0] != allDropped[0] {
						t.Errorf("seek %v, from clip %d: dropped %v, SplitFile dropped %v", seek, first, dropped, allDropped)
					}
				}
			}
		})
	}
}

// TestSplitFileFromPastTheEnd: a clip number past the file's end is an error
// naming the file, seeking or not; a stopped emit stops it.
func TestSplitFileFromPastTheEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.wav")
	if err := WriteWAV(path, [][]float32{make([]float32, 3*8000)}, 8000, WAV16); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []SplitOptions{{ClipSeconds: 1}, {ClipSeconds: 1, SampleRateHz: 22050}} {
		err := SplitFileFrom(path, opts, 5, func(Clip) error { return nil })
		if err == nil || !errorsContain(err, path) {
			t.Errorf("%+v: clip 5 of a 3 s file: error %v, want one naming %s", opts, err, path)
		}
		stop := errors.New("stop here")
		if err := SplitFileFrom(path, opts, 1, func(Clip) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("%+v: emit's error: got %v", opts, err)
		}
	}
}

func errorsContain(err error, s string) bool {
	return err != nil && len(s) > 0 && contains(err.Error(), s)
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
