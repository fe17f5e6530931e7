package audio

import (
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
)

// flacStream adapts github.com/mewkiz/flac, which decodes one FLAC frame (a block of
// up to 65535 samples per channel) at a time.
type flacStream struct {
	streamBase
	stream  *flac.Stream
	pending [][]int32 // samples of the current FLAC frame not yet returned, per channel
	pos     int
	scale   float32
	frame   int
	// delivered counts the frames returned by earlier Reads.
	delivered int64
}

// NewFLACStream parses a FLAC stream's metadata from r and returns a Stream
// positioned at the first frame. name is used in errors.
func NewFLACStream(r io.Reader, name string) (s Stream, err error) {
	defer func() {
		if p := recover(); p != nil { // the decoder panics on some malformed input
			s, err = nil, fmt.Errorf("%s: FLAC header: %v: %w", name, p, ErrCorrupt)
		}
	}()
	st, err := flac.New(r)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%s: the file ends inside the FLAC metadata, before the first audio frame (%v): %w", name, err, ErrTruncated)
		}
		return nil, fmt.Errorf("%s: FLAC header: %v: %w", name, err, ErrCorrupt)
	}
	info := st.Info
	if info.NChannels == 0 || info.SampleRate == 0 || info.BitsPerSample == 0 {
		return nil, fmt.Errorf("%s: FLAC STREAMINFO: %d channels, %d Hz, %d bits: %w", name, info.NChannels, info.SampleRate, info.BitsPerSample, ErrCorrupt)
	}
	fs := &flacStream{streamBase: newStreamBase(r, name), stream: st, scale: 1 / float32(int64(1)<<(info.BitsPerSample-1))}
	fs.format = Format{
		SampleRateHz:  int(info.SampleRate),
		NumChannels:   int(info.NChannels),
		BitsPerSample: int(info.BitsPerSample),
		Encoding:      FLAC,
		Frames:        int64(info.NSamples),
	}
	if info.NSamples == 0 {
		fs.format.Frames = -1
	}
	return fs, nil
}

func (s *flacStream) Read(dst []float32) (n int, err error) {
	nc := s.format.NumChannels
	frames, err := s.begin(dst)
	if err != nil {
		return 0, err
	}
	defer func() {
		if p := recover(); p != nil {
			n, err = 0, fmt.Errorf("%s: FLAC frame %d: %v: %w", s.name, s.frame, p, ErrCorrupt)
		}
		if err != nil && err != io.EOF {
			s.done = true
		}
	}()
	stalls := 0
	for n < frames {
		if s.pending == nil || s.pos >= len(s.pending[0]) {
			if stalls++; stalls > maxStalls {
				return n, fmt.Errorf("%s: FLAC frame %d: %d frames in a row without samples: %w", s.name, s.frame, maxStalls, ErrCorrupt)
			}
			f, err := s.stream.ParseNext()
			if err == io.EOF {
				if s.format.Frames >= 0 && s.delivered+int64(n) < s.format.Frames {
					return n, fmt.Errorf("%s: FLAC stream ends after %d of the %d frames STREAMINFO announces: %w", s.name, s.delivered+int64(n), s.format.Frames, ErrTruncated)
				}
				if n == 0 {
					return 0, io.EOF
				}
				s.delivered += int64(n)
				return n, nil
			}
			if err != nil {
				if errors.Is(err, io.ErrUnexpectedEOF) {
					return n, fmt.Errorf("%s: the file ends inside FLAC frame %d, after %d frames of sound: %w", s.name, s.frame, s.delivered+int64(n), ErrTruncated)
				}
				return n, fmt.Errorf("%s: FLAC frame %d: %v: %w", s.name, s.frame, err, ErrCorrupt)
			}
			s.frame++
			if len(f.Subframes) != nc {
				return n, fmt.Errorf("%s: FLAC frame %d has %d channels, STREAMINFO says %d: %w", s.name, s.frame, len(f.Subframes), nc, ErrCorrupt)
			}
			s.pending = s.pending[:0]
			for _, sub := range f.Subframes {
				s.pending = append(s.pending, sub.Samples)
			}
			s.pos = 0
		}
		take := min(frames-n, len(s.pending[0])-s.pos)
		if take > 0 {
			stalls = 0
		}
		for i := 0; i < take; i++ {
			for c := 0; c < nc; c++ {
				dst[(n+i)*nc+c] = float32(s.pending[c][s.pos+i]) * s.scale
			}
		}
		s.pos += take
		n += take
	}
	s.delivered += int64(n)
	return n, nil
}
