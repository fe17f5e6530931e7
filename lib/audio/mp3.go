package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"
)

// mp3Stream adapts github.com/hajimehoshi/go-mp3, which always decodes to
// interleaved 16-bit stereo (mono files come out with both channels equal). It
// reads the file through mp3Frames, which hands it whole frames and knows whether
// the file was cut.
type mp3Stream struct {
	streamBase
	frames *mp3Frames
	dec    *mp3.Decoder
	buf    []byte
	offset int64
}

// NewMP3Stream parses an MP3 stream's first frame from r and returns a Stream;
// Format().Frames is -1 (Open, given a file, counts the frames first). The
// stream always has two channels. A file cut inside a frame, or holding fewer
// frames than its Xing/Info header announces, gives every whole frame, then an
// error wrapping ErrTruncated. name is used in errors.
func NewMP3Stream(r io.Reader, name string) (s Stream, err error) {
	return newMP3Stream(r, name, -1)
}

// newMP3Stream is NewMP3Stream with the number of frames when known, else -1.
func newMP3Stream(r io.Reader, name string, frames int64) (s Stream, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("%s: MP3 header: %v: %w", name, p, ErrCorrupt)
		}
	}()
	walker := newMP3Frames(r, name)
	dec, err := mp3.NewDecoder(walker)
	if err != nil {
		if isOwnError(err) {
			return nil, err
		}
		if walker.end != nil {
			return nil, fmt.Errorf("no complete MP3 frame: %w", walker.end)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%s: MP3: no complete frame: %v: %w", name, err, ErrTruncated)
		}
		return nil, fmt.Errorf("%s: MP3: %v: %w", name, err, ErrCorrupt)
	}
	ms := &mp3Stream{streamBase: newStreamBase(r, name), frames: walker, dec: dec}
	ms.format = Format{SampleRateHz: dec.SampleRate(), NumChannels: 2, BitsPerSample: 16, Encoding: MP3, Frames: frames}
	return ms, nil
}

// countMP3Frames walks a whole MP3 file and returns the frames of sound it will
// decode to, or -1 when the walk fails.
func countMP3Frames(r io.Reader) int64 {
	walker := newMP3Frames(r, "")
	if _, err := io.Copy(io.Discard, walker); err != nil {
		return -1
	}
	return walker.samples
}

// isOwnError says whether err already names the file and wraps one of the
// package's sentinels.
func isOwnError(err error) bool {
	for _, sentinel := range []error{ErrUnsupported, ErrCorrupt, ErrTruncated, ErrEmpty} {
		if errors.Is(err, sentinel) {
			return true
		}
	}
	return false
}

func (s *mp3Stream) Read(dst []float32) (n int, err error) {
	frames, err := s.begin(dst)
	if err != nil {
		return 0, err
	}
	defer func() {
		if p := recover(); p != nil {
			n, err = 0, fmt.Errorf("%s: MP3 data near decoded byte %d: %v: %w", s.name, s.offset, p, ErrCorrupt)
		}
		if err != nil {
			s.done = true
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
		if s.frames.end != nil { // the file was cut, or bytes between frames skipped
			return got / 4, s.frames.end
		}
		if got == 0 {
			return 0, io.EOF
		}
		return got / 4, nil
	}
	if err != nil && isOwnError(err) {
		return got / 4, err
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
