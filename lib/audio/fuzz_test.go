package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
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
// picks (WAV, FLAC through mewkiz/flac, MP3 through go-mp3, Ogg Vorbis through
// jfreymuth/oggvorbis): no input may panic
// out of the package. Seed corpus: testdata/fuzz/FuzzDecodeAny plus the heads of
// the FLAC, MP3 and Ogg fixtures.
func FuzzDecodeAny(f *testing.F) {
	for _, name := range []string{"tone.flac", "tone.mp3", "vorbis_stereo_44100.ogg"} {
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

// FuzzOggDecode: no input makes the Ogg page reader or the Vorbis decoder panic
// out of the package or hang; every error wraps one of the package's sentinels
// and names the file; decoded samples are finite and within ±1 (the decoder
// clamps); after an error the stream ends. Seed corpus: the Ogg fixtures whole,
// their first 4 KiB, and testdata/fuzz/FuzzOggDecode.
func FuzzOggDecode(f *testing.F) {
	for _, name := range []string{"vorbis_mono_22050.ogg", "vorbis_stereo_44100.ogg", "vorbis_6ch_22050.ogg"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:min(len(data), 4096)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeOggFuzz(t, data)
		// The pages' checksums stop almost every mutation before the Vorbis
		// decoder; with them recomputed, the mutations reach it.
		decodeOggFuzz(t, withOggCRCs(data))
	})
}

// withOggCRCs returns a copy of data with the checksum of every page that parses
// recomputed.
func withOggCRCs(data []byte) []byte {
	out := append([]byte(nil), data...)
	for off := 0; off+oggHeaderBytes <= len(out); {
		if string(out[off:off+4]) != "OggS" {
			break
		}
		nseg := int(out[off+26])
		if off+oggHeaderBytes+nseg > len(out) {
			break
		}
		size := oggHeaderBytes + nseg
		for _, s := range out[off+oggHeaderBytes : off+oggHeaderBytes+nseg] {
			size += int(s)
		}
		if off+size > len(out) {
			break
		}
		page := out[off : off+size]
		binary.LittleEndian.PutUint32(page[22:], oggPageCRC(page))
		off += size
	}
	return out
}

func decodeOggFuzz(t *testing.T, data []byte) {
	{
		s, err := NewOggStream(bytes.NewReader(data), "fuzz.ogg")
		if err != nil {
			checkOggError(t, err)
			return
		}
		nc := s.Format().NumChannels
		if nc <= 0 || s.Format().SampleRateHz <= 0 {
			t.Fatalf("format %+v", s.Format())
		}
		block := make([]float32, 4096*nc)
		for range 256 { // bounded: fuzzed inputs are small
			n, err := s.Read(block)
			for _, v := range block[:n*nc] {
				if !(v >= -1 && v <= 1) {
					t.Fatalf("sample %v outside [-1, 1]", v)
				}
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				checkOggError(t, err)
				if n, err := s.Read(block); n != 0 || err != io.EOF {
					t.Fatalf("Read after an error = %d, %v, want 0, EOF", n, err)
				}
				return
			}
		}
	}
}

func checkOggError(t *testing.T, err error) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), "fuzz.ogg: ") {
		t.Fatalf("error %q does not start with the file's name", err)
	}
	for _, sentinel := range []error{ErrUnsupported, ErrCorrupt, ErrTruncated, ErrEmpty} {
		if errors.Is(err, sentinel) {
			return
		}
	}
	t.Fatalf("error %q wraps none of the package's sentinels", err)
}
