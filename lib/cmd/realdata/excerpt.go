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
// longer's somewhere, and where one of its four loudest windows of
// o.ExcerptMinSeconds, at its best lag within 0.1 s, correlates at least
// o.ExcerptWaveCorrelation in absolute value with the longer's waveform.
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
	start := off*long.frame - short.first*short.frame // where short's first sample lies in long
	// The waveforms, over windows of ExcerptMinSeconds, loudest first (at
	// most 4): a copy may drift by a few samples over seconds (resampled or
	// re-encoded) or be edited, so each window finds its own lag, within
	// 0.1 s of the envelopes' offset, on its
	// loudest 0.1 s (unrelated sounds correlate about 0.1 there at their best
	// lag, a copy near 1), and is measured whole at that lag.
	window := int(math.Ceil(o.ExcerptMinSeconds * float64(o.SampleRateHz)))
	windowFrames := (window + short.frame - 1) / short.frame
	active := short.env[short.first:short.end]
	m := excerptMatch{ShortIsA: shortIsA, OffsetSeconds: float64(start) / float64(o.SampleRateHz), Envelope: envR}
	used := make([]bool, len(active))
	for range 4 {
		at := loudestFree(active, windowFrames, used)
		if at < 0 {
			break
		}
		for i := at; i < at+windowFrames && i < len(used); i++ {
			used[i] = true
		}
		w0 := min(at*short.frame, len(x)-window)
		if r, lag, ok := windowCorrelation(x[w0:w0+window], long.samples, start+short.first*short.frame+w0, o.SampleRateHz/10, o); ok && math.Abs(r) > math.Abs(m.Wave) {
			m.Wave = r
			m.OffsetSeconds = float64(start+lag) / float64(o.SampleRateHz)
		}
		if math.Abs(m.Wave) >= o.ExcerptWaveCorrelation {
			return m, true
		}
	}
	return m, false
}

// windowCorrelation finds the lag, within maxLag of at, where w best
// matches y — first on 1 ms RMS envelopes, then on the waveform of w's
// loudest 0.1 s within two envelope frames of that — and returns the
// correlation of the whole of w with y there, and the lag; ok is false when
// no lag fits or none comes near a copy's (unrelated sounds correlate about
// 0.1 on 0.1 s at their best lag, a copy near 1).
func windowCorrelation(w, y []float32, at, maxLag int, o Options) (r float64, lag int, ok bool) {
	fine := max(1, o.SampleRateHz/1000)
	lo, hi := max(0, at-maxLag), min(len(y), at+len(w)+maxLag)
	if hi-lo < len(w) {
		return 0, 0, false
	}
	off, _ := bestEnvelopeOffset(envelope(w, fine), envelope(y[lo:hi], fine))
	coarse := lo + off*fine - at // the lag the envelopes give
	probe := min(len(w), o.SampleRateHz/10)
	probeAt, bestE, e := 0, -1.0, 0.0
	for i, v := range w {
		e += float64(v) * float64(v)
		if i >= probe {
			e -= float64(w[i-probe]) * float64(w[i-probe])
		}
		if i >= probe-1 && e > bestE && (i-probe+1)%64 == 0 {
			probeAt, bestE = i-probe+1, e
		}
	}
	bestLag, bestAbs := 0, -1.0
	for lag := coarse - 2*fine; lag <= coarse+2*fine; lag++ {
		s := at + probeAt + lag
		if s < 0 || s+probe > len(y) {
			continue
		}
		if r := math.Abs(correlation(w[probeAt:probeAt+probe], y[s:s+probe])); r > bestAbs {
			bestLag, bestAbs = lag, r
		}
	}
	s := at + bestLag
	if bestAbs < o.ExcerptWaveCorrelation/2 || s < 0 || s+len(w) > len(y) {
		return 0, 0, false
	}
	return correlation(w, y[s:s+len(w)]), bestLag, true
}

// loudestFree is the start of the loudest width-frame window of env that
// overlaps no used frame (-1 when none is left).
func loudestFree(env []float64, width int, used []bool) int {
	best, bestE := -1, -1.0
	for i := 0; i+width <= len(env) || (i == 0 && len(env) < width); i++ {
		var e float64
		free := true
		for k := i; k < min(len(env), i+width); k++ {
			if used[k] {
				free = false
				break
			}
			e += env[k] * env[k]
		}
		if free && e > bestE {
			best, bestE = i, e
		}
	}
	return best
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
