package audio

import (
	"errors"
	"fmt"
	"io"
)

// Sentinel errors, wrapped (with %w) by the errors this package returns.
var (
	// ErrUnsupported: the file is a known container with an encoding this package does
	// not decode (for example A-law WAV or 12-bit PCM), or an unknown container.
	ErrUnsupported = errors.New("unsupported audio encoding")
	// ErrCorrupt: the file's header or data is malformed.
	ErrCorrupt = errors.New("corrupt audio file")
	// ErrTruncated: the file ends before the data its header announces.
	ErrTruncated = errors.New("truncated audio file")
	// ErrEmpty: the file holds no audio frames.
	ErrEmpty = errors.New("audio file has no samples")
	// ErrSilent: every sample of the file is exactly zero.
	ErrSilent = errors.New("audio file is silent (all samples are zero)")
)

// Encoding says how a file stores its samples.
type Encoding int

const (
	// PCM is signed (or, at 8 bits, unsigned) integer linear PCM.
	PCM Encoding = iota
	// Float is IEEE 754 floating point.
	Float
	// FLAC is FLAC-compressed integer PCM.
	FLAC
	// MP3 is MPEG-1/2 Layer III, decoded to 16-bit PCM.
	MP3
	// Vorbis is Ogg Vorbis, decoded to float32.
	Vorbis
)

// String returns the encoding's name.
func (e Encoding) String() string {
	switch e {
	case PCM:
		return "pcm"
	case Float:
		return "float"
	case FLAC:
		return "flac"
	case MP3:
		return "mp3"
	case Vorbis:
		return "vorbis"
	}
	return fmt.Sprintf("encoding(%d)", int(e))
}

// Format describes a decoded stream.
type Format struct {
	// SampleRateHz is the number of frames per second.
	SampleRateHz int
	// NumChannels is the number of samples per frame (1 mono, 2 stereo, ...).
	NumChannels int
	// BitsPerSample is the stored sample size in bits (16 for MP3, 0 for Ogg
	// Vorbis, which stores no fixed sample size).
	BitsPerSample int
	// Encoding says how the samples are stored.
	Encoding Encoding
	// Frames is the number of frames the header announces, or -1 when unknown.
	Frames int64
}

// DurationSeconds is Frames/SampleRateHz, or -1 when Frames is unknown.
func (f Format) DurationSeconds() float64 {
	if f.Frames < 0 || f.SampleRateHz <= 0 {
		return -1
	}
	return float64(f.Frames) / float64(f.SampleRateHz)
}

// Stream is audio decoded a block of frames at a time.
type Stream interface {
	// Format describes the stream; it does not change while reading.
	Format() Format
	// Read decodes up to len(dst)/NumChannels frames into dst, interleaved (frame i,
	// channel c at dst[i*NumChannels+c]), and returns the number of frames decoded.
	// At the end of the stream it returns 0, io.EOF. Any other error names the file
	// and the problem, and ends the stream: later Reads return 0, io.EOF. A file
	// cut short gives the frames decoded before the cut with an error wrapping
	// ErrTruncated (the frames are good); every codec does the same.
	Read(dst []float32) (frames int, err error)
	// Close releases the file.
	Close() error
}

// streamBase is what every codec's Stream holds alike: the name its errors use,
// the file Close closes, the Format, and whether an error has ended the stream.
type streamBase struct {
	name   string
	closer io.Closer
	format Format
	// done: an error ended the stream; later Reads return io.EOF.
	done bool
}

// newStreamBase names the stream; Close will close r when r is an io.Closer.
func newStreamBase(r io.Reader, name string) streamBase {
	b := streamBase{name: name}
	if c, ok := r.(io.Closer); ok {
		b.closer = c
	}
	return b
}

func (s *streamBase) Format() Format { return s.format }

func (s *streamBase) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// begin starts a Read into dst: it returns how many whole frames dst holds, an
// error naming the stream when it holds less than one, or io.EOF when an error
// has ended the stream.
func (s *streamBase) begin(dst []float32) (int, error) {
	nc := s.format.NumChannels
	frames := len(dst) / nc
	if frames == 0 {
		return 0, fmt.Errorf("%s: Read: destination holds %d samples, less than one %d-channel frame", s.name, len(dst), nc)
	}
	if s.done {
		return 0, io.EOF
	}
	return frames, nil
}

// Audio is a whole decoded sound, channels held planar.
type Audio struct {
	// SampleRateHz is the number of frames per second.
	SampleRateHz int
	// Channels[c][i] is the amplitude (full-scale units) of channel c at frame i; every
	// channel has the same length.
	Channels [][]float32
}

// NumFrames is the number of frames (samples per channel).
func (a *Audio) NumFrames() int {
	if len(a.Channels) == 0 {
		return 0
	}
	return len(a.Channels[0])
}

// DurationSeconds is NumFrames/SampleRateHz.
func (a *Audio) DurationSeconds() float64 {
	if a.SampleRateHz <= 0 {
		return 0
	}
	return float64(a.NumFrames()) / float64(a.SampleRateHz)
}

// Mono returns the average of the channels, frame by frame, as a new slice (a copy
// of the only channel for mono audio).
func (a *Audio) Mono() []float32 {
	n := a.NumFrames()
	mono := make([]float32, n)
	if len(a.Channels) == 0 {
		return mono
	}
	if len(a.Channels) == 1 {
		copy(mono, a.Channels[0])
		return mono
	}
	for i := range mono {
		var sum float64
		for _, ch := range a.Channels {
			sum += float64(ch[i])
		}
		mono[i] = float32(sum / float64(len(a.Channels)))
	}
	return mono
}

// MixToMono averages interleaved frames of numChannels samples into dst, which must
// hold len(interleaved)/numChannels samples, and returns dst.
func MixToMono(dst, interleaved []float32, numChannels int) []float32 {
	if numChannels == 1 {
		copy(dst, interleaved)
		return dst[:len(interleaved)]
	}
	n := len(interleaved) / numChannels
	inv := 1 / float64(numChannels)
	for i := 0; i < n; i++ {
		var sum float64
		for _, v := range interleaved[i*numChannels : (i+1)*numChannels] {
			sum += float64(v)
		}
		dst[i] = float32(sum * inv)
	}
	return dst[:n]
}

// ReadAll decodes the rest of a stream into an Audio. On error it returns what it
// decoded before the error, with the error.
func ReadAll(s Stream) (*Audio, error) { return readAll(s, 1<<22) }

// readAll is ReadAll trusting the header's frame count up to maxPrealloc frames.
func readAll(s Stream, maxPrealloc int64) (*Audio, error) {
	format := s.Format()
	nc := format.NumChannels
	audio := &Audio{SampleRateHz: format.SampleRateHz, Channels: make([][]float32, nc)}
	if format.Frames > 0 {
		// Trust the header's length only so far: a corrupt header must not allocate GBs.
		for c := range audio.Channels {
			audio.Channels[c] = make([]float32, 0, min(format.Frames, maxPrealloc))
		}
	}
	block := make([]float32, 1<<16*nc)
	for {
		frames, err := s.Read(block)
		if nc == 1 {
			audio.Channels[0] = append(audio.Channels[0], block[:frames]...)
		} else {
			for c := 0; c < nc; c++ {
				ch := audio.Channels[c]
				for i := 0; i < frames; i++ {
					ch = append(ch, block[i*nc+c])
				}
				audio.Channels[c] = ch
			}
		}
		if err == io.EOF {
			return audio, nil
		}
		if err != nil {
			return audio, err
		}
	}
}
