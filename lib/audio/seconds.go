package audio

import (
	"io"
	"os"
)

// StreamSeconds returns the length in seconds of the audio r holds (name, its
// file name, picks the decoder and names it in errors): from its header when it
// announces its frames, else by decoding it.
func StreamSeconds(r io.Reader, name string) (float64, error) {
	s, err := NewStream(r, name)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	if d := s.Format().DurationSeconds(); d >= 0 {
		return d, nil
	}
	a, err := ReadAll(s)
	if err != nil {
		return 0, err
	}
	return a.DurationSeconds(), nil
}

// FileSeconds is StreamSeconds of the file at path.
func FileSeconds(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return StreamSeconds(f, path)
}
