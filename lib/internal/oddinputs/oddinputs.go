// Package oddinputs builds the odd-input set: the files and tables a researcher
// may bring that are not the course's clean 3 s WAV files — WAV files of every
// sample encoding, layout, channel count and rate; FLAC, MP3, Ogg Vorbis; files
// cut short, damaged, empty, header-only, shorter than a clip or with a final part
// shorter than a clip; near-silence, clipping, DC offset, speech; and odd label
// CSV and Raven tables. Its test (oddinputs_test.go) runs every file through
// audio loading, the birds-v1 front end and embedding, and every table through
// its parser, and requires each to come out correct (with the values it should
// have) or as a clear error naming the file, line or column — never a silently
// wrong result, never a panic.
//
// The WAV files, the tables and every cut or damaged copy are written in Go at
// test time, by the functions of this file, into a temporary folder: nothing of
// them is committed. The compressed files need encoders, so testdata/make.sh
// writes them once with sox, lame and espeak-ng (committed, about 55 KB), with
// sox's figures for them in testdata/figures.json. To look at the whole set, run
//
//	go test ./lib/internal/oddinputs -run TestOddInputs -args -out DIR
//
// which leaves every file in DIR.
//
// This file writes WAV files with its own encoder, independent of lib/audio's, so
// that a decoding bug cannot hide behind a matching encoding bug.
package oddinputs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
)

// Encoding is how a WAV file stores its samples.
type Encoding string

// The WAV sample encodings.
const (
	U8  Encoding = "u8"  // 8-bit unsigned integer, centred on 128
	S16 Encoding = "s16" // 16-bit signed integer
	S24 Encoding = "s24" // 24-bit signed integer
	S32 Encoding = "s32" // 32-bit signed integer
	F32 Encoding = "f32" // 32-bit IEEE float
	F64 Encoding = "f64" // 64-bit IEEE float
)

// Bits is the stored sample size in bits.
func (e Encoding) Bits() int {
	switch e {
	case U8:
		return 8
	case S16:
		return 16
	case S24:
		return 24
	case S32, F32:
		return 32
	case F64:
		return 64
	}
	panic(fmt.Sprintf("oddinputs: unknown encoding %q", e))
}

func (e Encoding) float() bool { return e == F32 || e == F64 }

// Quantize returns x as the encoding stores it, in full-scale units (what a
// correct decoder returns): integers are rounded to the nearest step of
// 2^-(bits-1) and clipped to [-1, 1 - step]; floats are kept (f32 rounded to
// float32).
func (e Encoding) Quantize(x float64) float64 {
	switch e {
	case F32:
		return float64(float32(x))
	case F64:
		return x
	}
	scale := math.Ldexp(1, e.Bits()-1)
	q := math.Round(x * scale)
	return math.Max(-scale, math.Min(scale-1, q)) / scale
}

// WAVSpec describes a WAV file to write.
type WAVSpec struct {
	Encoding Encoding
	RateHz   int
	// Extensible writes a WAVE_FORMAT_EXTENSIBLE header (format tag 0xFFFE, the
	// encoding in the SubFormat GUID) instead of a plain one.
	Extensible bool
}

// WAV encodes channels (planar, equal lengths, full-scale units) as a WAV file.
func WAV(spec WAVSpec, channels [][]float64) []byte {
	nc := len(channels)
	n := len(channels[0])
	bits := spec.Encoding.Bits()
	blockAlign := nc * bits / 8
	tag := uint16(1)
	if spec.Encoding.float() {
		tag = 3
	}
	var fmtChunk bytes.Buffer
	le := func(v any) { binary.Write(&fmtChunk, binary.LittleEndian, v) }
	if spec.Extensible {
		le(uint16(0xFFFE))
	} else {
		le(tag)
	}
	le(uint16(nc))
	le(uint32(spec.RateHz))
	le(uint32(spec.RateHz * blockAlign))
	le(uint16(blockAlign))
	le(uint16(bits))
	if spec.Extensible {
		le(uint16(22))                                                                                             // size of the extension
		le(uint16(bits))                                                                                           // valid bits per sample
		le(uint32(1<<min(nc, 18) - 1))                                                                             // channel mask: the first nc speaker positions
		le(tag)                                                                                                    // SubFormat GUID: the format tag, then
		fmtChunk.Write([]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}) // KSDATAFORMAT's fixed part
	}
	var data bytes.Buffer
	var b [8]byte
	for i := 0; i < n; i++ {
		for c := 0; c < nc; c++ {
			x := channels[c][i]
			switch spec.Encoding {
			case F32:
				binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(x)))
				data.Write(b[:4])
			case F64:
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
				data.Write(b[:8])
			default:
				v := int64(math.Round(spec.Encoding.Quantize(x) * math.Ldexp(1, bits-1)))
				if spec.Encoding == U8 {
					data.WriteByte(byte(v + 128))
					continue
				}
				binary.LittleEndian.PutUint64(b[:], uint64(v))
				data.Write(b[:bits/8])
			}
		}
	}
	var out bytes.Buffer
	w := func(v any) { binary.Write(&out, binary.LittleEndian, v) }
	out.WriteString("RIFF")
	w(uint32(4 + 8 + fmtChunk.Len() + 8 + data.Len()))
	out.WriteString("WAVE")
	out.WriteString("fmt ")
	w(uint32(fmtChunk.Len()))
	out.Write(fmtChunk.Bytes())
	out.WriteString("data")
	w(uint32(data.Len()))
	out.Write(data.Bytes())
	return out.Bytes()
}

// WAVHeaderBytes is the length of the header WAV writes before the samples.
func WAVHeaderBytes(spec WAVSpec) int {
	if spec.Extensible {
		return 12 + 8 + 40 + 8
	}
	return 12 + 8 + 16 + 8
}

// Frames is the number of frames in seconds at rateHz, rounded.
func Frames(seconds float64, rateHz int) int { return int(math.Round(seconds * float64(rateHz))) }

// Tones returns channels of sine tones, channel c at 440·(c+1) Hz, amplitude amp.
func Tones(seconds float64, rateHz, channels int, amp float64) [][]float64 {
	n := Frames(seconds, rateHz)
	out := make([][]float64, channels)
	for c := range out {
		out[c] = make([]float64, n)
		for i := range out[c] {
			out[c][i] = amp * math.Sin(2*math.Pi*440*float64(c+1)*float64(i)/float64(rateHz))
		}
	}
	return out
}

// Noise returns seeded white noise, uniform, with an RMS of rmsDBFS dB relative
// to full scale.
func Noise(seconds float64, rateHz int, rmsDBFS float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	rms := math.Pow(10, rmsDBFS/20)
	a := rms * math.Sqrt(3) // a uniform variable on [-a, a] has RMS a/√3
	out := make([]float64, Frames(seconds, rateHz))
	for i := range out {
		out[i] = a * (2*rng.Float64() - 1)
	}
	return out
}

// Hum returns a sine at freqHz whose peak is peakDBFS dB relative to full scale.
func Hum(seconds float64, rateHz int, freqHz, peakDBFS float64) []float64 {
	peak := math.Pow(10, peakDBFS/20)
	out := make([]float64, Frames(seconds, rateHz))
	for i := range out {
		out[i] = peak * math.Sin(2*math.Pi*freqHz*float64(i)/float64(rateHz))
	}
	return out
}

// LSB returns 16-bit "silence" that is not: each sample is −1, 0 or +1 step of
// 2^-15, drawn at random.
func LSB(seconds float64, rateHz int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]float64, Frames(seconds, rateHz))
	for i := range out {
		out[i] = float64(rng.IntN(3)-1) / 32768
	}
	return out
}

// RMS is the root mean square of every sample of every channel.
func RMS(channels [][]float64) float64 {
	var sum float64
	n := 0
	for _, ch := range channels {
		for _, x := range ch {
			sum += x * x
		}
		n += len(ch)
	}
	return math.Sqrt(sum / float64(n))
}

// Cut returns the first fraction of data (a file cut short).
func Cut(data []byte, fraction float64) []byte {
	return append([]byte(nil), data[:int(float64(len(data))*fraction)]...)
}

// Overwrite returns data with the bytes from offset replaced by with.
func Overwrite(data []byte, offset int, with []byte) []byte {
	out := append([]byte(nil), data...)
	copy(out[offset:], with)
	return out
}

// Insert returns data with extra inserted at offset.
func Insert(data []byte, offset int, extra []byte) []byte {
	out := append([]byte(nil), data[:offset]...)
	out = append(out, extra...)
	return append(out, data[offset:]...)
}

// StrayByte returns a WAV file made by WAV (its "data" chunk last) with one
// more byte in its "data" chunk, counted in the chunk's size, and no pad byte
// after it: a size that is not a whole number of frames, and odd, as some
// writers leave it. A reader should give the whole frames and ignore the byte.
func StrayByte(wav []byte, spec WAVSpec) []byte {
	out := append(append([]byte(nil), wav...), 0x55)
	sizeAt := WAVHeaderBytes(spec) - 4
	binary.LittleEndian.PutUint32(out[sizeAt:], binary.LittleEndian.Uint32(out[sizeAt:])+1)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// WithoutEOS returns an Ogg file with the end-of-stream flag of its last page
// cleared and that page's checksum recomputed (by this package's own CRC, the
// Ogg polynomial 0x04C11DB7, unreflected, initial value 0): the file some
// writers leave.
func WithoutEOS(ogg []byte) []byte {
	out := append([]byte(nil), ogg...)
	last := -1
	for off := 0; off < len(out); {
		if string(out[off:off+4]) != "OggS" {
			panic(fmt.Sprintf("oddinputs: no Ogg page at byte %d", off))
		}
		last = off
		nseg := int(out[off+26])
		size := 27 + nseg
		for _, s := range out[off+27 : off+27+nseg] {
			size += int(s)
		}
		off += size
	}
	page := out[last:]
	page[5] &^= 0x04
	binary.LittleEndian.PutUint32(page[22:], 0)
	var crc uint32
	for _, b := range page {
		crc ^= uint32(b) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	binary.LittleEndian.PutUint32(page[22:], crc)
	return out
}
