package audio

import (
	"errors"
	"fmt"
	"io"
)

// frameSeeker is a Stream that can move to a frame without decoding the ones
// before it (a WAV file: its frames have a fixed size).
type frameSeeker interface {
	seekFrame(frame int64) error
}

// seekFrame moves a WAV stream read from a file to frame, so that the next
// Read starts there. A frame past the end of the data leaves nothing to read
// (and a file cut short of its header's promise reports it on the next Read).
func (s *wavStream) seekFrame(frame int64) error {
	if s.seeker == nil {
		return errors.ErrUnsupported
	}
	skip := frame * int64(s.blockAlign)
	if s.format.Frames >= 0 && skip > s.bytesLeft {
		skip = s.bytesLeft
	}
	target := s.offset + skip
	if _, err := s.seeker.Seek(target, io.SeekStart); err != nil {
		return fmt.Errorf("%s: seeking to byte %d: %w", s.name, target, err)
	}
	s.r.Reset(s.seeker.(io.Reader))
	s.offset = target
	if s.bytesLeft != 1<<63-1 {
		s.bytesLeft -= skip
	}
	return nil
}

// startAt sets a new Resampler to begin at output sample firstOut: it returns
// the input index its first input sample must have. Outputs from firstOut on
// are then the same, bit for bit, as those of a Resampler fed from input 0,
// since each output is the same sum over the same input window.
func (r *Resampler) startAt(firstOut int64) (firstIn int64) {
	base := firstOut * r.down / r.up
	firstIn = base + int64(r.lo)
	if firstIn <= 0 {
		return 0 // the window reaches the zeros before input 0: start from the beginning
	}
	r.hist = r.hist[:0]
	r.histStart = firstIn
	r.nIn = firstIn
	r.nOut = firstOut
	return firstIn
}

// SplitFileFrom is SplitFile from clip number first (counting from 0) on: it
// emits the clips SplitFile emits whose index is first or more, the same to
// the bit, and reports dropped sound as SplitFile does. The sound before clip
// first is not resampled, and in a WAV file not even read: it seeks to the
// first input frame that clip's samples depend on (the resampler's filter
// reaches a few dozen frames back). Other formats are decoded up to there.
// A file that ends before clip first starts is an error naming the file.
func SplitFileFrom(path string, opts SplitOptions, first int, emit func(Clip) error) error {
	if first <= 0 {
		return SplitFile(path, opts, emit)
	}
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	return splitStreamFrom(s, path, opts, first, emit)
}

// splitStreamFrom is SplitFileFrom on an open stream (first > 0).
func splitStreamFrom(s Stream, path string, opts SplitOptions, first int, emit func(Clip) error) (err error) {
	rs, rate, clip, hop, minFinal, err := opts.plan(path, s.Format().SampleRateHz)
	if err != nil {
		return err
	}
	startOut := int64(first) * int64(hop) // first output frame of clip first
	firstIn, firstOut := startOut, startOut
	if rs != nil {
		firstIn = rs.startAt(startOut)
		firstOut = rs.nOut // startOut, or 0 when the filter reaches back to input 0
	}
	// Skip the input before firstIn: seek, or decode and discard.
	nc := s.Format().NumChannels
	block := make([]float32, streamBlockFrames*nc)
	if fs, ok := s.(frameSeeker); ok && firstIn > 0 {
		if err := fs.seekFrame(firstIn); err != nil {
			return err
		}
	} else {
		for skipped := int64(0); skipped < firstIn; {
			n := int(min(int64(streamBlockFrames), firstIn-skipped))
			frames, rerr := s.Read(block[:n*nc])
			skipped += int64(frames)
			if rerr == io.EOF {
				return fmt.Errorf("%s: the file ends at frame %d, before clip %d (frame %d at %d Hz)", path, skipped, first, startOut, rate)
			}
			if rerr != nil {
				return rerr
			}
		}
	}
	sp := &splitter{file: path, rateHz: rate, clip: clip, hop: hop, minFinal: minFinal, opts: opts, emit: emit,
		bufStart: startOut, nextStart: startOut, whole: int64(first)}
	drop := startOut - firstOut // outputs before clip first (when the resampler began at 0)
	push := func(m []float32) error {
		if drop > 0 {
			n := int(min(drop, int64(len(m))))
			m, drop = m[n:], drop-int64(n)
		}
		if len(m) == 0 {
			return nil
		}
		return sp.push(m)
	}
	total, rerr, err := readMono(s, rs, push)
	if err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	if total == 0 {
		return fmt.Errorf("%s: the file ends before clip %d (frame %d at %d Hz)", path, first, startOut, rate)
	}
	if rs != nil {
		if err := push(rs.Flush(nil)); err != nil {
			return err
		}
	}
	return sp.finish()
}
