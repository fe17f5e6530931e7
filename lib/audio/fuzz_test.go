package audio

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzWAVDecode: no input makes the WAV parser panic, hang or return samples outside
// full scale for integer PCM; every error wraps one of the package's sentinels (or
// names the file). Seed corpus: testdata/fuzz/FuzzWAVDecode.
func FuzzWAVDecode(f *testing.F) {
	f.Add(wavBytes(1, 2, 16000, 16, 0, nil, []byte{0x00, 0x40, 0x00, 0x80, 0xFF, 0x7F, 0xFF, 0xFF}))
	f.Add(wavBytes(wavFormatExtensible, 1, 8000, 24, 1, []byte("LIST\x01\x00\x00\x00a\x00"), []byte{1, 2, 3}))
	f.Add(wavBytes(3, 1, 8000, 64, 0, nil, f64bytes(0.5)))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := NewStream(bytes.NewReader(data), "fuzz.wav")
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		a, err := ReadAll(s)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		format := s.Format()
		if len(a.Channels) != format.NumChannels {
			t.Fatalf("%d channels, format says %d", len(a.Channels), format.NumChannels)
		}
		if format.Encoding == PCM {
			for _, ch := range a.Channels {
				for _, v := range ch {
					if v < -1 || v >= 1 {
						t.Fatalf("integer PCM decoded to %v, outside [-1, 1)", v)
					}
				}
			}
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	for _, sentinel := range []error{ErrUnsupported, ErrCorrupt, ErrTruncated, ErrEmpty} {
		if errors.Is(err, sentinel) {
			return
		}
	}
	if !bytes.Contains([]byte(err.Error()), []byte("fuzz.wav")) {
		t.Fatalf("error %q neither wraps a sentinel nor names the file", err)
	}
}

// FuzzDecodeAny feeds any bytes to the container sniffer and whichever decoder it
// picks (WAV, FLAC through mewkiz/flac, MP3 through go-mp3): no input may panic
// out of the package. Seed corpus: testdata/fuzz/FuzzDecodeAny plus the heads of
// the FLAC and MP3 fixtures.
func FuzzDecodeAny(f *testing.F) {
	for _, name := range []string{"tone.flac", "tone.mp3"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 2048)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := NewStream(bytes.NewReader(data), "fuzz.bin")
		if err != nil {
			return
		}
		block := make([]float32, 4096*s.Format().NumChannels)
		for i := 0; i < 64; i++ { // bounded: a corrupt stream may decode forever
			if _, err := s.Read(block); err != nil {
				return
			}
		}
	})
}
