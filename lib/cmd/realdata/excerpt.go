package main

import (
	"math"
)

// Excerpts. sameRecording finds near copies of equal length; programs also
// share trimmed takes, excerpts and longer versions of one recording
// (MegaGlest's birch_forest wolf.wav is part of Widelands' wolf_01.ogg;
// Widelands' crickets2_00.ogg is the first 1.25 s of crickets1_00.ogg), often
// at another gain or with the polarity flipped. excerptOf finds them: the
// loudness envelope of the shorter sound's active stretch is slid over the
// longer's, and the best place, when the envelopes correlate, is confirmed on
// the waveforms (|Pearson r| at the best lag, so a flipped polarity counts).

// sound is a recording prepared for excerpt matching.
type sound struct {
	samples []float32
	// env is the RMS of each excerptFrame-sample frame; active the frames
	// [first, end) from the first to the last at or above the silence level.
	env           []float64
	first, end    int
	frame         int // samples per envelope frame
	activeSamples int
}

// newSound prepares samples (at o.SampleRateHz) for excerptOf.
func newSound(samples []float32, o Options) *sound {
	frame := max(1, int(math.Round(o.ExcerptFrameSeconds*float64(o.SampleRateHz))))
	s := &sound{samples: samples, env: envelope(samples, frame), frame: frame}
	level := math.Pow(10, o.SilenceDBFS/20)
	s.first, s.end = len(s.env), 0
	for i, v := range s.env {
		if v >= level {
			s.first, s.end = min(s.first, i), i+1
		}
	}
	if s.end < s.first {
		s.first, s.end = 0, 0
	}
	s.activeSamples = (s.end - s.first) * frame
	return s
}

// excerptMatch is where the shorter sound's active stretch lies in the longer.
type excerptMatch struct {
	// ShortIsA says which sound is the excerpt; OffsetSeconds is where its
	// first sample lies in the other (negative when it starts with silence
	// that the other lacks).
	ShortIsA      bool
	OffsetSeconds float64
	// Envelope is the envelopes' correlation there; Wave the waveforms'
	// (signed: negative when the polarity is flipped).
	Envelope, Wave float64
}

// excerptOf reports whether the shorter of a and b (by active stretch) is an
// excerpt of the longer: an active stretch of at least o.ExcerptMinSeconds
// whose envelope correlates at least o.ExcerptEnvelopeCorrelation with the
// longer's somewhere, and whose waveform there, at the best lag within two
// frames, correlates at least o.ExcerptWaveCorrelation in absolute value.
func excerptOf(a, b *sound, o Options) (excerptMatch, bool) {
	short, long, shortIsA := a, b, true
	if b.end-b.first < a.end-a.first {
		short, long, shortIsA = b, a, false
	}
	n := short.end - short.first
	if n*short.frame < int(math.Ceil(o.ExcerptMinSeconds*float64(o.SampleRateHz))) || n > len(long.env) || short.frame != long.frame {
		return excerptMatch{}, false
	}
	off, envR := bestEnvelopeOffset(short.env[short.first:short.end], long.env)
	if envR < o.ExcerptEnvelopeCorrelation {
		return excerptMatch{}, false
	}
	x := short.samples[short.first*short.frame : short.end*short.frame]
	start := off * long.frame
	maxLag := 2 * long.frame
	// The lag: found on the loudest ExcerptMinSeconds of the excerpt, then
	// the correlation is measured over the whole excerpt at that lag.
	probe := min(len(x), int(math.Ceil(o.ExcerptMinSeconds*float64(o.SampleRateHz))))
	probeAt := loudestStretch(short.env[short.first:short.end], (probe+short.frame-1)/short.frame) * short.frame
	probeAt = min(probeAt, len(x)-probe)
	bestLag, bestAbs := 0, -1.0
	for lag := -maxLag; lag <= maxLag; lag++ {
		s := start + probeAt + lag
		if s < 0 || s+probe > len(long.samples) {
			continue
		}
		if r := math.Abs(correlation(x[probeAt:probeAt+probe], long.samples[s:s+probe])); r > bestAbs {
			bestLag, bestAbs = lag, r
		}
	}
	if bestAbs < 0 {
		return excerptMatch{}, false
	}
	// The whole excerpt, over the samples the longer holds at that lag.
	s := start + bestLag
	lo, hi := max(0, -s), min(len(x), len(long.samples)-s)
	if hi-lo < probe {
		return excerptMatch{}, false
	}
	r := correlation(x[lo:hi], long.samples[s+lo:s+hi])
	m := excerptMatch{ShortIsA: shortIsA, OffsetSeconds: float64(s-short.first*short.frame) / float64(o.SampleRateHz), Envelope: envR, Wave: r}
	return m, math.Abs(r) >= o.ExcerptWaveCorrelation
}

// bestEnvelopeOffset slides x over y (len(x) ≤ len(y)) and returns the
// offset where their Pearson correlation is largest, and that correlation.
func bestEnvelopeOffset(x, y []float64) (int, float64) {
	n := len(x)
	var mx float64
	for _, v := range x {
		mx += v
	}
	mx /= float64(n)
	xc := make([]float64, n)
	var sxx float64
	for i, v := range x {
		xc[i] = v - mx
		sxx += xc[i] * xc[i]
	}
	if sxx == 0 {
		return 0, 0
	}
	// Prefix sums of y and y² give each window's mean and spread.
	sum, sq := make([]float64, len(y)+1), make([]float64, len(y)+1)
	for i, v := range y {
		sum[i+1], sq[i+1] = sum[i]+v, sq[i]+v*v
	}
	best, bestR := 0, -1.0
	for off := 0; off+n <= len(y); off++ {
		s := sum[off+n] - sum[off]
		syy := sq[off+n] - sq[off] - s*s/float64(n)
		if syy <= 1e-12*(sq[off+n]-sq[off]) || syy <= 0 {
			continue
		}
		w := y[off : off+n]
		var sxy float64
		for i, v := range xc {
			sxy += v * w[i]
		}
		if r := sxy / math.Sqrt(sxx*syy); r > bestR {
			best, bestR = off, r
		}
	}
	return best, bestR
}

// loudestStretch is the start of the width-frame window of env with the
// largest energy.
func loudestStretch(env []float64, width int) int {
	width = min(width, len(env))
	var e float64
	for _, v := range env[:width] {
		e += v * v
	}
	best, bestE := 0, e
	for i := width; i < len(env); i++ {
		e += env[i]*env[i] - env[i-width]*env[i-width]
		if e > bestE {
			best, bestE = i-width+1, e
		}
	}
	return best
}

// correlation is the Pearson correlation of x and y (equal lengths; 0 when
// either is constant).
func correlation(x, y []float32) float64 {
	n := float64(len(x))
	var sx, sy, sxy, sxx, syy float64
	for i, a := range x {
		b := float64(y[i])
		sx += float64(a)
		sy += b
		sxy += float64(a) * b
		sxx += float64(a) * float64(a)
		syy += b * b
	}
	vx, vy := sxx-sx*sx/n, syy-sy*sy/n
	if vx <= 0 || vy <= 0 {
		return 0
	}
	return (sxy - sx*sy/n) / math.Sqrt(vx*vy)
}
