package audio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// Open opens an audio file for streaming. The container is recognized from the
// file's first bytes ("RIFF…WAVE", "fLaC", "OggS", an ID3 tag or an MPEG frame
// sync), not from its name. The caller must Close the stream.
func Open(path string) (Stream, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	s, err := openReader(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// peekedFile is a bufio.Reader over a file that keeps the file's Closer.
type peekedFile struct {
	*bufio.Reader
	f *os.File
}

func (p *peekedFile) Close() error { return p.f.Close() }

// bufferedReader returns r's bufio.Reader when it has one, else a new one over r.
func bufferedReader(r io.Reader) *bufio.Reader {
	switch b := r.(type) {
	case *bufio.Reader:
		return b
	case *peekedFile:
		return b.Reader
	}
	return bufio.NewReaderSize(r, 64<<10)
}

// NewStream recognizes the container from r's first bytes and returns a Stream.
// name is used in errors.
func NewStream(r io.Reader, name string) (Stream, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	kind, err := sniff(br, name)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "wav":
		return NewWAVStream(br, name)
	case "flac":
		return NewFLACStream(br, name)
	case "ogg":
		return NewOggStream(br, name)
	default:
		return NewMP3Stream(br, name)
	}
}

func openReader(f *os.File, name string) (Stream, error) {
	var head [12]byte
	n, _ := io.ReadFull(f, head[:])
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	kind, err := sniff(bufio.NewReader(bytes.NewReader(head[:n])), name)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "wav":
		return NewWAVStream(f, name)
	case "flac":
		return NewFLACStream(&peekedFile{bufio.NewReaderSize(f, 64<<10), f}, name)
	case "ogg":
		return newOggStream(&peekedFile{bufio.NewReaderSize(f, 64<<10), f}, name, f)
	default:
		// Count the frames first, so that the length is known.
		frames := countMP3Frames(bufio.NewReaderSize(f, 64<<10))
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return newMP3Stream(&peekedFile{bufio.NewReaderSize(f, 64<<10), f}, name, frames)
	}
}

// sniff names the container from the first bytes.
func sniff(br *bufio.Reader, name string) (string, error) {
	head, _ := br.Peek(12)
	switch {
	case len(head) == 0:
		return "", fmt.Errorf("%s: file is empty (0 bytes): %w", name, ErrEmpty)
	case len(head) >= 4 && (string(head[:4]) == "RIFF" || string(head[:4]) == "RF64"):
		return "wav", nil
	case len(head) >= 4 && string(head[:4]) == "fLaC":
		return "flac", nil
	case len(head) >= 4 && string(head[:4]) == "OggS":
		return "ogg", nil
	case len(head) >= 3 && string(head[:3]) == "ID3":
		return "mp3", nil
	case len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0:
		return "mp3", nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	return "", fmt.Errorf("%s: not a WAV, FLAC, MP3 or Ogg Vorbis file (first bytes %q, extension %q): %w", name, head, ext, ErrUnsupported)
}

// Load decodes a whole file. A file with no frames is an error wrapping ErrEmpty,
// and one whose samples are all exactly zero an error wrapping ErrSilent.
//
// A file cut short (a WAV or FLAC file that ends before the data its header
// announces, an MP3 file that ends inside a frame or before the frames its
// Xing/Info header counts, an Ogg file without its end-of-stream page) returns
// the frames before the cut together with an error wrapping ErrTruncated that
// names the file and says where it ends: a caller that can use part of a
// recording keeps the Audio, and one that checks only err stops, as for any
// other bad file. Every other error returns a nil Audio.
func Load(path string) (*Audio, error) {
	s, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	// A WAV header's frame count can be trusted for preallocation when the file is
	// big enough to hold it.
	prealloc := int64(1 << 22)
	if info, err := os.Stat(path); err == nil {
		f := s.Format()
		if f.Encoding == PCM || f.Encoding == Float {
			if bytes := f.Frames * int64(f.NumChannels*f.BitsPerSample/8); f.Frames > 0 && bytes <= info.Size() {
				prealloc = f.Frames
			}
		}
	}
	a, err := readAll(s, prealloc)
	if err != nil && !(errors.Is(err, ErrTruncated) && a.NumFrames() > 0) {
		return nil, err
	}
	cut := err
	if a.NumFrames() == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrEmpty)
	}
	for _, ch := range a.Channels {
		for _, v := range ch {
			if v != 0 {
				return a, cut
			}
		}
	}
	if cut != nil {
		return nil, fmt.Errorf("%s: the %d frames before the cut are all zero: %w; %w", path, a.NumFrames(), ErrSilent, cut)
	}
	return nil, fmt.Errorf("%s: %d frames: %w", path, a.NumFrames(), ErrSilent)
}

// FileError is a file that a batch function skipped, and why.
type FileError struct {
	// Path is the file that failed.
	Path string
	// Err says why; it already names the file.
	Err error
}

// Error returns Err's message.
func (e FileError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e FileError) Unwrap() error { return e.Err }

// LoadAll loads every path, skipping the files that fail. loaded[i] belongs to
// paths[i] and is nil for a skipped file; skipped lists the failures in order.
func LoadAll(paths []string) (loaded []*Audio, skipped []FileError) {
	loaded = make([]*Audio, len(paths))
	for i, p := range paths {
		a, err := Load(p)
		if err != nil {
			skipped = append(skipped, FileError{Path: p, Err: err})
			continue
		}
		loaded[i] = a
	}
	return loaded, skipped
}

// WriteWAV writes channels (planar, equal lengths) at sampleRateHz to path,
// atomically: it writes a temporary file in the same directory, syncs it and renames
// it over path.
func WriteWAV(path string, channels [][]float32, sampleRateHz int, format WAVFormat) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		return EncodeWAV(w, channels, sampleRateHz, format)
	})
}

// MustLoad is [Load] for notebooks: it panics on an error, a truncated file included.
func MustLoad(path string) *Audio {
	a, err := Load(path)
	if err != nil {
		panic(err)
	}
	return a
}
