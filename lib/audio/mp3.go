package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"
)

// mp3Stream adapts github.com/hajimehoshi/go-mp3, which always decodes to
// interleaved 16-bit stereo (mono files come out with both channels equal).
type mp3Stream struct {
	name   string
	dec    *mp3.Decoder
	closer io.Closer
	format Format
	buf    []byte
	offset int64
}

// NewMP3Stream parses an MP3 stream's first frame from r and returns a Stream. The
// stream always has two channels. name is used in errors.
func NewMP3Stream(r io.Reader, name string) (s Stream, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("%s: MP3 header: %v: %w", name, p, ErrCorrupt)
		}
	}()
	dec, err := mp3.NewDecoder(r)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%s: MP3: no complete frame: %v: %w", name, err, ErrTruncated)
		}
		return nil, fmt.Errorf("%s: MP3: %v: %w", name, err, ErrCorrupt)
	}
	ms := &mp3Stream{name: name, dec: dec}
	if c, ok := r.(io.Closer); ok {
		ms.closer = c
	}
	frames := int64(-1)
	if _, ok := r.(io.Seeker); ok {
		if l := dec.Length(); l > 0 {
			frames = l / 4
		}
	}
	ms.format = Format{SampleRateHz: dec.SampleRate(), NumChannels: 2, BitsPerSample: 16, Encoding: MP3, Frames: frames}
	return ms, nil
}

func (s *mp3Stream) Format() Format { return s.format }

func (s *mp3Stream) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

func (s *mp3Stream) Read(dst []float32) (n int, err error) {
	frames := len(dst) / 2
	if frames == 0 {
		return 0, fmt.Errorf("%s: Read: destination holds %d samples, less than one 2-channel frame", s.name, len(dst))
	}
	defer func() {
		if p := recover(); p != nil {
			n, err = 0, fmt.Errorf("%s: MP3 data near decoded byte %d: %v: %w", s.name, s.offset, p, ErrCorrupt)
		}
	}()
	if cap(s.buf) < frames*4 {
		s.buf = make([]byte, frames*4)
	}
	buf := s.buf[:frames*4]
	got, err := s.readFull(buf)
	s.offset += int64(got)
	got -= got % 4
	for i := 0; i < got/2; i++ {
		dst[i] = float32(int16(binary.LittleEndian.Uint16(buf[2*i:]))) / (1 << 15)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		if got == 0 {
			return 0, io.EOF
		}
		return got / 4, nil
	}
	if err != nil {
		return got / 4, fmt.Errorf("%s: MP3 data near decoded byte %d: %v: %w", s.name, s.offset, err, ErrCorrupt)
	}
	return got / 4, nil
}

// maxStalls is how many reads in a row may make no progress before a stream is
// declared corrupt (a damaged stream can otherwise keep a decoder spinning).
const maxStalls = 1000

// readFull is io.ReadFull that gives up on a decoder returning (0, nil) forever.
func (s *mp3Stream) readFull(buf []byte) (int, error) {
	n, stalls := 0, 0
	for n < len(buf) {
		k, err := s.dec.Read(buf[n:])
		n += k
		if err != nil {
			if err == io.EOF && n > 0 {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		}
		if k == 0 {
			if stalls++; stalls > maxStalls {
				return n, fmt.Errorf("decoder makes no progress: %w", ErrCorrupt)
			}
		} else {
			stalls = 0
		}
	}
	return n, nil
}
