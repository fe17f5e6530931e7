package audio

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// Clip is a fixed-length piece of mono sound and where it came from.
type Clip struct {
	// File is the source file (or any name the caller gave).
	File string
	// StartSeconds is the clip's start, in seconds from the start of File.
	StartSeconds float64
	// EndSeconds is StartSeconds + len(Samples)/SampleRateHz; with FinalPad the
	// last clip may end after the end of File.
	EndSeconds float64
	// SampleRateHz is the clip's sample rate.
	SampleRateHz int
	// Samples are the mono amplitudes, full-scale units.
	Samples []float32
}

// FinalClip says what to do with the sound left after the last whole clip.
//
// The rule, everywhere a file's clips are cut or counted (Split, SplitStream,
// Spans, dataset.ClipSpans, embed.EmbedFiles and its progress estimate): clips
// of ClipSeconds start every ClipSeconds−OverlapSeconds; the sound left after
// the last whole clip (all of a file shorter than one clip) becomes one more
// clip, zero-padded to full length, when it is at least MinFinalSeconds long —
// a third of a clip by default (DefaultMinFinalFraction) — and not only the
// overlap the last clip already holds. Shorter sound gives no clip, and the
// splitters report it (SplitOptions.Dropped, Spans' dropped span).
type FinalClip int

const (
	// FinalPad zero-pads the leftover to a whole clip (the zero value: the
	// default).
	FinalPad FinalClip = iota
	// FinalDrop discards it (a file shorter than one clip yields no clips), as
	// OpenSoundscape does by default.
	FinalDrop
	// FinalRemainder keeps it as a shorter clip.
	FinalRemainder
)

// DefaultMinFinalFraction is the shortest leftover kept by default, as a
// fraction of a clip: a third, as BirdNET-Analyzer keeps a final chunk of at
// least 1 s of its 3 s ones (SIG_MINLEN). A 1.96 s file gives one padded 3 s
// clip; a 0.8 s file gives none, and is reported.
const DefaultMinFinalFraction = 1.0 / 3

// Span is a stretch of a file, in seconds from its start. A padded clip's span
// may end after the end of the file.
type Span struct {
	StartSeconds, EndSeconds float64
}

// Seconds is the span's length.
func (s Span) Seconds() float64 { return s.EndSeconds - s.StartSeconds }

// SplitOptions configures how sound is cut into clips.
type SplitOptions struct {
	// ClipSeconds is the length of each clip, > 0.
	ClipSeconds float64
	// OverlapSeconds is how much consecutive clips share, 0 ≤ overlap < ClipSeconds;
	// clips start every ClipSeconds-OverlapSeconds seconds.
	OverlapSeconds float64
	// SampleRateHz resamples the clips to this rate; 0 keeps the source rate.
	SampleRateHz int
	// Final says what to do with the leftover sound at the end [FinalPad].
	Final FinalClip
	// MinFinalSeconds: with FinalPad or FinalRemainder, a leftover shorter than this
	// is dropped [DefaultMinFinalFraction·ClipSeconds]; a negative value keeps any
	// leftover of at least one sample.
	MinFinalSeconds float64
	// Dropped, when not nil, is called once per file whose end gave no clip,
	// with the span of that sound: the leftover after the last clip (FinalDrop,
	// or shorter than MinFinalSeconds), or the whole file when it gave no clip at
	// all. A leftover that only repeats the last clip's overlap is not dropped
	// sound and is not reported.
	Dropped func(Span)
}

// WithDefaults returns o with its zero fields filled in: MinFinalSeconds is
// DefaultMinFinalFraction·ClipSeconds (a negative value stays: any leftover).
// Exported for messages that name the shortest final clip kept.
func (o SplitOptions) WithDefaults() SplitOptions {
	if o.MinFinalSeconds == 0 {
		o.MinFinalSeconds = DefaultMinFinalFraction * o.ClipSeconds
	}
	return o
}

// keepsFinal is the rule for the leftover at the end: left frames after the
// last whole clip (whole clips cut: whole).
func (o SplitOptions) keepsFinal(left, clip, hop, minFinal int, whole int64) bool {
	switch {
	case left <= 0:
		return false
	case whole > 0 && left <= clip-hop: // only the overlap the last clip holds
		return false
	}
	return o.Final != FinalDrop && left >= minFinal
}

// droppedFinal is the sound keepsFinal leaves out, if any.
func (o SplitOptions) droppedFinal(left, clip, hop, minFinal int, whole int64) bool {
	return left > 0 && !(whole > 0 && left <= clip-hop) && !o.keepsFinal(left, clip, hop, minFinal, whole)
}

// frames converts the options to whole frames at rateHz.
func (o SplitOptions) frames(rateHz int) (clip, hop, minFinal int, err error) {
	if !(o.ClipSeconds > 0) || math.IsInf(o.ClipSeconds, 0) {
		return 0, 0, 0, fmt.Errorf("split: clip length %v s, want > 0", o.ClipSeconds)
	}
	if !(o.OverlapSeconds >= 0 && o.OverlapSeconds < o.ClipSeconds) {
		return 0, 0, 0, fmt.Errorf("split: overlap %v s, want 0 ≤ overlap < clip length %v s", o.OverlapSeconds, o.ClipSeconds)
	}
	if math.IsNaN(o.MinFinalSeconds) || math.IsInf(o.MinFinalSeconds, 0) {
		return 0, 0, 0, fmt.Errorf("split: shortest final clip %v s", o.MinFinalSeconds)
	}
	o = o.WithDefaults()
	clip = int(math.Round(o.ClipSeconds * float64(rateHz)))
	hop = int(math.Round((o.ClipSeconds - o.OverlapSeconds) * float64(rateHz)))
	// 1e-9 s of slack, so that a leftover of exactly MinFinalSeconds is kept
	// despite the rounding of seconds to frames.
	// A negative MinFinalSeconds keeps any leftover of at least one frame.
	minFinal = max(1, int(math.Ceil(max(0, o.MinFinalSeconds)*float64(rateHz)-1e-9*float64(rateHz))))
	if clip < 1 || hop < 1 {
		return 0, 0, 0, fmt.Errorf("split: clip %v s with overlap %v s at %d Hz is %d frames with hop %d, want ≥ 1", o.ClipSeconds, o.OverlapSeconds, rateHz, clip, hop)
	}
	return clip, hop, minFinal, nil
}

// splitter cuts a stream of mono samples into clips, holding at most one clip.
type splitter struct {
	file                string
	rateHz              int
	clip, hop, minFinal int
	opts                SplitOptions
	buf                 []float32 // samples from absolute frame bufStart
	bufStart, nextStart int64
	whole               int64 // whole clips emitted
	emit                func(Clip) error
}

func (s *splitter) clipAt(start int64, samples []float32) Clip {
	return Clip{
		File:         s.file,
		StartSeconds: float64(start) / float64(s.rateHz),
		EndSeconds:   float64(start+int64(len(samples))) / float64(s.rateHz),
		SampleRateHz: s.rateHz,
		Samples:      samples,
	}
}

func (s *splitter) push(samples []float32) error {
	s.buf = append(s.buf, samples...)
	for {
		off := int(s.nextStart - s.bufStart)
		if off+s.clip > len(s.buf) {
			break
		}
		c := append([]float32(nil), s.buf[off:off+s.clip]...)
		if err := s.emit(s.clipAt(s.nextStart, c)); err != nil {
			return err
		}
		s.whole++
		s.nextStart += int64(s.hop)
	}
	if dead := int(s.nextStart - s.bufStart); dead > 0 {
		dead = min(dead, len(s.buf))
		n := copy(s.buf, s.buf[dead:])
		s.buf = s.buf[:n]
		s.bufStart += int64(dead)
	}
	return nil
}

func (s *splitter) finish() error {
	off := int(s.nextStart - s.bufStart)
	left := len(s.buf) - off
	if s.opts.droppedFinal(left, s.clip, s.hop, s.minFinal, s.whole) {
		if s.opts.Dropped != nil {
			s.opts.Dropped(Span{float64(s.nextStart) / float64(s.rateHz), float64(s.nextStart+int64(left)) / float64(s.rateHz)})
		}
		return nil
	}
	if !s.opts.keepsFinal(left, s.clip, s.hop, s.minFinal, s.whole) {
		return nil
	}
	c := append([]float32(nil), s.buf[off:]...)
	if s.opts.Final == FinalPad {
		c = append(c, make([]float32, s.clip-left)...)
	}
	return s.emit(s.clipAt(s.nextStart, c))
}

// Spans returns the clips Split and SplitStream cut from a sound of frames
// frames at rateHz (resampled first to o.SampleRateHz when set, to
// ⌈frames·o.SampleRateHz/rateHz⌉ frames, as Resample does), in order, and the
// sound at the end that gave no clip (zero when there is none; o.Dropped is not
// called). It applies the same rule to the same frame counts, so a count made
// from a file's header agrees with what splitting the file gives.
func Spans(frames int64, rateHz int, o SplitOptions) (clips []Span, dropped Span, err error) {
	if frames < 0 || rateHz <= 0 {
		return nil, Span{}, fmt.Errorf("split: %d frames at %d Hz", frames, rateHz)
	}
	if o.SampleRateHz > 0 && o.SampleRateHz != rateHz {
		frames = (frames*int64(o.SampleRateHz) + int64(rateHz) - 1) / int64(rateHz)
		rateHz = o.SampleRateHz
	}
	clip, hop, minFinal, err := o.frames(rateHz)
	if err != nil {
		return nil, Span{}, err
	}
	at := func(start, n int64) Span {
		return Span{float64(start) / float64(rateHz), float64(start+n) / float64(rateHz)}
	}
	var whole, start int64
	for ; start+int64(clip) <= frames; start += int64(hop) {
		clips = append(clips, at(start, int64(clip)))
		whole++
	}
	left := int(frames - start)
	switch {
	case o.droppedFinal(left, clip, hop, minFinal, whole):
		dropped = at(start, int64(left))
	case o.keepsFinal(left, clip, hop, minFinal, whole) && o.Final == FinalRemainder:
		clips = append(clips, at(start, int64(left)))
	case o.keepsFinal(left, clip, hop, minFinal, whole):
		clips = append(clips, at(start, int64(clip)))
	}
	return clips, dropped, nil
}

// SpansOfDuration is Spans for a sound known only by its length in seconds (a
// recording named in a Raven table, say), counted in microseconds: its clips
// agree with those of Spans and the splitters up to a microsecond at the
// boundaries of the rule — and up to a frame of the new rate when the
// splitters resample (o.SampleRateHz), as resampling rounds its length up.
func SpansOfDuration(durationSeconds float64, o SplitOptions) (clips []Span, dropped Span, err error) {
	if !(durationSeconds >= 0) || math.IsInf(durationSeconds, 0) {
		return nil, Span{}, fmt.Errorf("split: duration %v s", durationSeconds)
	}
	const rate = 1_000_000
	o.SampleRateHz = 0
	return Spans(int64(math.Round(durationSeconds*rate)), rate, o)
}

// Split cuts mono samples at rateHz into clips named file. Resampling (when
// opts.SampleRateHz differs from rateHz) happens before cutting.
func Split(samples []float32, rateHz int, file string, opts SplitOptions) ([]Clip, error) {
	var clips []Clip
	if opts.SampleRateHz > 0 && opts.SampleRateHz != rateHz {
		var err error
		if samples, err = Resample(samples, rateHz, opts.SampleRateHz); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		rateHz = opts.SampleRateHz
	}
	clip, hop, minFinal, err := opts.frames(rateHz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	s := &splitter{file: file, rateHz: rateHz, clip: clip, hop: hop, minFinal: minFinal, opts: opts,
		emit: func(c Clip) error { clips = append(clips, c); return nil }}
	// Feed in clip-sized pieces so the buffer stays small.
	for len(samples) > 0 {
		n := min(len(samples), 1<<16)
		if err := s.push(samples[:n]); err != nil {
			return nil, err
		}
		samples = samples[n:]
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	return clips, nil
}

// streamBlockFrames is how many frames SplitStream decodes at a time.
const streamBlockFrames = 1 << 15

// SplitStream decodes s block by block, mixes it to mono, resamples it if asked, and
// calls emit with each clip in order. It holds at most one clip, one decoded block
// and the resampler's filter history in memory. If emit returns an error,
// SplitStream stops and returns it. A stream with no frames is an error wrapping
// ErrEmpty. A stream cut short (a Read error wrapping ErrTruncated after some
// frames) is split up to the cut as if it ended there, its last clip under the
// final-clip rule included, and that error is then returned: the clips are
// good, and the caller learns the file was cut.
func SplitStream(s Stream, file string, opts SplitOptions, emit func(Clip) error) error {
	rs, rate, clip, hop, minFinal, err := opts.plan(file, s.Format().SampleRateHz)
	if err != nil {
		return err
	}
	sp := &splitter{file: file, rateHz: rate, clip: clip, hop: hop, minFinal: minFinal, opts: opts, emit: emit}
	var cut error // the stream's ErrTruncated: its sound before the cut is split as a whole file's
	total, rerr, err := readMono(s, rs, sp.push)
	if err != nil {
		return err
	}
	if rerr != nil && errors.Is(rerr, ErrTruncated) && total > 0 {
		cut = rerr
	} else if rerr != nil {
		return rerr
	}
	if total == 0 {
		return fmt.Errorf("%s: %w", file, ErrEmpty)
	}
	if rs != nil {
		if err := sp.push(rs.Flush(nil)); err != nil {
			return err
		}
	}
	if err := sp.finish(); err != nil {
		return err
	}
	return cut
}

// plan returns what splitting a stream at rateHz takes: the resampler to the
// options' rate (nil when the stream is at it or no rate is asked), the rate
// clips are cut at, and the clip, hop and final-clip lengths in its frames.
// Errors name the file.
func (o SplitOptions) plan(file string, rateHz int) (rs *Resampler, rate, clip, hop, minFinal int, err error) {
	rate = rateHz
	if o.SampleRateHz > 0 && o.SampleRateHz != rate {
		if rs, err = NewResampler(rate, o.SampleRateHz); err != nil {
			return nil, 0, 0, 0, 0, fmt.Errorf("%s: %w", file, err)
		}
		rate = o.SampleRateHz
	}
	if clip, hop, minFinal, err = o.frames(rate); err != nil {
		return nil, 0, 0, 0, 0, fmt.Errorf("%s: %w", file, err)
	}
	return rs, rate, clip, hop, minFinal, nil
}

// readMono reads s block by block to its end or its first error, and hands
// push each block mixed to mono and, when rs is not nil, resampled (the
// resampler is not flushed). It returns the frames read, the Read error that
// ended the stream (nil at io.EOF; the frames of that Read are pushed first)
// and push's error, which stops it at once.
func readMono(s Stream, rs *Resampler, push func([]float32) error) (total int64, readErr, pushErr error) {
	nc := s.Format().NumChannels
	block := make([]float32, streamBlockFrames*nc)
	mono := make([]float32, streamBlockFrames)
	var resampled []float32
	for {
		frames, rerr := s.Read(block)
		if frames > 0 {
			total += int64(frames)
			m := MixToMono(mono, block[:frames*nc], nc)
			if rs != nil {
				resampled = rs.Process(resampled[:0], m)
				m = resampled
			}
			if err := push(m); err != nil {
				return total, nil, err
			}
		}
		if rerr == io.EOF {
			return total, nil, nil
		}
		if rerr != nil {
			return total, rerr, nil
		}
	}
}

// SplitFile opens path and splits it with SplitStream.
func SplitFile(path string, opts SplitOptions, emit func(Clip) error) error {
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	return SplitStream(s, path, opts, emit)
}

// ErrStop, returned by an emit function, stops SplitFiles without an error.
var ErrStop = errors.New("stop")

// SplitFiles splits every path in turn, skipping the files that fail: the clips a
// bad file produced before its error have already been emitted, and the file is
// listed in skipped. An error from emit (other than ErrStop, which just stops) stops
// the batch and is returned as err.
func SplitFiles(paths []string, opts SplitOptions, emit func(Clip) error) (skipped []FileError, err error) {
	for _, p := range paths {
		var emitErr error
		ferr := SplitFile(p, opts, func(c Clip) error {
			if e := emit(c); e != nil {
				emitErr = e
				return e
			}
			return nil
		})
		if emitErr != nil {
			if errors.Is(emitErr, ErrStop) {
				return skipped, nil
			}
			return skipped, emitErr
		}
		if ferr != nil {
			skipped = append(skipped, FileError{Path: p, Err: ferr})
		}
	}
	return skipped, nil
}

// Trim returns the samples between startSeconds and endSeconds (clamped to the
// sound) at rateHz, as a new slice.
func Trim(samples []float32, rateHz int, startSeconds, endSeconds float64) []float32 {
	a := int(math.Round(startSeconds * float64(rateHz)))
	b := int(math.Round(endSeconds * float64(rateHz)))
	a = max(0, min(a, len(samples)))
	b = max(a, min(b, len(samples)))
	return append([]float32(nil), samples[a:b]...)
}

// PadTo returns samples zero-padded at the end (or cut) to exactly frames samples,
// as a new slice.
func PadTo(samples []float32, frames int) []float32 {
	out := make([]float32, frames)
	copy(out, samples)
	return out
}
