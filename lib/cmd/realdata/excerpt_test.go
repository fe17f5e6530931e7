package main

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExcerptOf cuts excerpts out of seeded modulated noise, changes their
// gain, polarity and padding, and checks that excerptOf finds them at the
// offset they were cut from, and that unrelated sounds are not matched.
func TestExcerptOf(t *testing.T) {
	o := DefaultOptions
	rate := o.SampleRateHz
	long := modulatedAt(1, 6, 0.5, rate)
	cut := func(fromSeconds, seconds, gain float64) []float32 {
		from := int(fromSeconds * float64(rate))
		out := make([]float32, int(seconds*float64(rate)))
		for i := range out {
			out[i] = float32(gain) * long[from+i]
		}
		return out
	}
	padded := func(x []float32, seconds float64) []float32 {
		pad := make([]float32, int(seconds*float64(rate)))
		return append(append(append([]float32(nil), pad...), x...), pad...)
	}
	noisy := func(x []float32, level float64, seed uint64) []float32 {
		r := rand.New(rand.NewPCG(seed, 3))
		out := make([]float32, len(x))
		for i := range x {
			out[i] = x[i] + float32(level*r.NormFloat64())
		}
		return out
	}
	cases := []struct {
		name        string
		a, b        []float32
		want        bool
		wantOffset  float64 // seconds into the longer, when found
		wantFlipped bool
	}{
		{"excerpt", cut(1.5, 2, 1), long, true, 1.5, false},
		{"excerpt, other order", long, cut(2.25, 1, 1), true, 2.25, false},
		{"quieter, flipped polarity", cut(0.73, 1.2, -0.3), long, true, 0.73, true},
		{"padded with silence", padded(cut(3.1, 0.8, 0.5), 0.4), long, true, 2.7, false},
		{"with a little noise", noisy(cut(4, 1.5, 1), 0.02, 9), long, true, 4, false},
		{"the whole recording", long, cut(0, 6, 0.9), true, 0, false},
		{"unrelated noise", modulatedAt(2, 2, 0.5, rate), long, false, 0, false},
		{"unrelated, same length", modulatedAt(3, 6, 0.5, rate), long, false, 0, false},
		{"too short to confirm", cut(2, 0.3, 1), long, false, 0, false},
		{"buried in noise", noisy(cut(2, 1, 1), 1, 5), long, false, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := excerptOf(newSound(c.a, o), newSound(c.b, o), o)
			if ok != c.want {
				t.Fatalf("found %v (%+v), want %v", ok, m, c.want)
			}
			if !ok {
				return
			}
			if math.Abs(m.OffsetSeconds-c.wantOffset) > 1.0/float64(rate) {
				t.Errorf("offset %.5f s, want %.5f", m.OffsetSeconds, c.wantOffset)
			}
			if (m.Wave < 0) != c.wantFlipped {
				t.Errorf("waveform correlation %.3f, flipped polarity %v", m.Wave, c.wantFlipped)
			}
		})
	}
}

// modulatedAt is modulated at another rate.
func modulatedAt(seed uint64, seconds, level float64, rate int) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]float32, int(seconds*float64(rate)))
	gain := 0.0
	for i := range out {
		if i%(rate/20) == 0 {
			gain = level * r.Float64()
		}
		out[i] = float32(gain * (2*r.Float64() - 1))
	}
	return out
}

// TestBestEnvelopeOffset against a plain loop over offsets with pearson.
func TestBestEnvelopeOffset(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for trial := range 20 {
		y := make([]float64, 50+r.IntN(200))
		for i := range y {
			y[i] = r.Float64()
		}
		x := make([]float64, 3+r.IntN(len(y)-3))
		for i := range x {
			x[i] = r.Float64()
		}
		want, wantR := 0, -2.0
		for off := 0; off+len(x) <= len(y); off++ {
			if c := pearson(x, y[off:off+len(x)]); c > wantR {
				want, wantR = off, c
			}
		}
		got, gotR := bestEnvelopeOffset(x, y)
		if got != want || math.Abs(gotR-wantR) > 1e-9 {
			t.Errorf("trial %d: offset %d r %.12f, want %d r %.12f", trial, got, gotR, want, wantR)
		}
	}
}
