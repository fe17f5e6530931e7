package audio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// WAV format tags (the fmt chunk's first field, or the first two bytes of an
// extensible file's SubFormat GUID).
const (
	wavFormatPCM        = 0x0001
	wavFormatFloat      = 0x0003
	wavFormatExtensible = 0xFFFE
)

// maxWAVChannels bounds the channel count accepted from a header.
const maxWAVChannels = 64

// wavStream decodes a RIFF/WAVE stream's data chunk block by block.
type wavStream struct {
	streamBase
	r          *bufio.Reader
	blockAlign int
	bytesLeft  int64 // data bytes not yet read
	offset     int64 // byte offset of the next unread data byte, for errors
	buf        []byte
	seeker     io.Seeker // the file under r, when it can seek (SeekFrame)
}

// NewWAVStream parses a WAV header from r and returns a Stream positioned at the
// first frame. name is used in errors (usually the file path). If r is an io.Closer,
// Close closes it.
func NewWAVStream(r io.Reader, name string) (Stream, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	s := &wavStream{streamBase: newStreamBase(r, name), r: br}
	if sk, ok := r.(io.Seeker); ok {
		s.seeker = sk
	}
	if err := s.parseHeader(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *wavStream) errorf(sentinel error, offset int64, format string, args ...any) error {
	return fmt.Errorf("%s: byte %d: %s: %w", s.name, offset, fmt.Sprintf(format, args...), sentinel)
}

func (s *wavStream) parseHeader() error {
	var riff [12]byte
	n, err := io.ReadFull(s.r, riff[:])
	if err != nil {
		if n == 0 {
			return fmt.Errorf("%s: file is empty (0 bytes): %w", s.name, ErrEmpty)
		}
		return s.errorf(ErrTruncated, int64(n), "file ends inside the 12-byte RIFF header")
	}
	if string(riff[0:4]) != "RIFF" {
		if string(riff[0:4]) == "RF64" {
			return s.errorf(ErrUnsupported, 0, "RF64 (64-bit RIFF) files are not supported")
		}
		return s.errorf(ErrCorrupt, 0, "expected \"RIFF\", found %q", riff[0:4])
	}
	if string(riff[8:12]) != "WAVE" {
		return s.errorf(ErrCorrupt, 8, "expected \"WAVE\", found %q", riff[8:12])
	}
	offset := int64(12)
	haveFmt := false
	var formatTag, bits int
	for {
		var hdr [8]byte
		if n, err := io.ReadFull(s.r, hdr[:]); err != nil {
			if n == 0 && err == io.EOF {
				if !haveFmt {
					return s.errorf(ErrCorrupt, offset, "no \"fmt \" chunk before the end of the file")
				}
				return s.errorf(ErrCorrupt, offset, "no \"data\" chunk before the end of the file")
			}
			return s.errorf(ErrTruncated, offset+int64(n), "file ends inside a chunk header")
		}
		id := string(hdr[0:4])
		size := int64(binary.LittleEndian.Uint32(hdr[4:8]))
		offset += 8
		switch id {
		case "fmt ":
			if size < 16 || size > 1<<16 {
				return s.errorf(ErrCorrupt, offset-4, "\"fmt \" chunk size %d, want 16 to 65536", size)
			}
			body := make([]byte, size)
			if n, err := io.ReadFull(s.r, body); err != nil {
				return s.errorf(ErrTruncated, offset+int64(n), "file ends inside the \"fmt \" chunk")
			}
			formatTag = int(binary.LittleEndian.Uint16(body[0:2]))
			channels := int(binary.LittleEndian.Uint16(body[2:4]))
			rate := int64(binary.LittleEndian.Uint32(body[4:8]))
			blockAlign := int(binary.LittleEndian.Uint16(body[12:14]))
			bits = int(binary.LittleEndian.Uint16(body[14:16]))
			if formatTag == wavFormatExtensible {
				if size < 40 {
					return s.errorf(ErrCorrupt, offset, "WAVE_FORMAT_EXTENSIBLE \"fmt \" chunk is %d bytes, want 40", size)
				}
				formatTag = int(binary.LittleEndian.Uint16(body[24:26]))
			}
			switch {
			case channels < 1 || channels > maxWAVChannels:
				return s.errorf(ErrCorrupt, offset+2, "channel count %d, want 1 to %d", channels, maxWAVChannels)
			case rate < 1 || rate > 10_000_000:
				return s.errorf(ErrCorrupt, offset+4, "sample rate %d Hz, want 1 to 10000000", rate)
			}
			switch formatTag {
			case wavFormatPCM:
				if bits != 8 && bits != 16 && bits != 24 && bits != 32 {
					return s.errorf(ErrUnsupported, offset+14, "PCM with %d bits per sample (supported: 8, 16, 24, 32)", bits)
				}
				s.format.Encoding = PCM
			case wavFormatFloat:
				if bits != 32 && bits != 64 {
					return s.errorf(ErrUnsupported, offset+14, "IEEE float with %d bits per sample (supported: 32, 64)", bits)
				}
				s.format.Encoding = Float
			default:
				return s.errorf(ErrUnsupported, offset, "WAV format tag 0x%04X (supported: 1 PCM, 3 IEEE float, and both inside 0xFFFE extensible)", formatTag)
			}
			if want := channels * bits / 8; blockAlign != want {
				return s.errorf(ErrCorrupt, offset+12, "block align %d bytes, want %d (%d channels × %d bits)", blockAlign, want, channels, bits)
			}
			s.format.SampleRateHz = int(rate)
			s.format.NumChannels = channels
			s.format.BitsPerSample = bits
			s.blockAlign = blockAlign
			haveFmt = true
			offset += size
			if size%2 == 1 {
				if _, err := s.r.Discard(1); err != nil {
					return s.errorf(ErrTruncated, offset, "file ends inside the \"fmt \" chunk's pad byte")
				}
				offset++
			}
		case "data":
			if !haveFmt {
				return s.errorf(ErrCorrupt, offset-8, "\"data\" chunk before the \"fmt \" chunk")
			}
			// A size that is not a whole number of frames (often an odd size
			// whose RIFF pad byte is missing too, a common writer bug: Debian
			// ktuberling-data's Rooster.wav) gives its whole frames; the bytes
			// of the partial frame after them, fewer than one frame, are not
			// sound and are ignored, as sox does.
			s.bytesLeft = size - size%int64(s.blockAlign)
			s.format.Frames = size / int64(s.blockAlign)
			if size == 0xFFFFFFFF { // streaming writers that never came back to fill in the size
				s.bytesLeft = math.MaxInt64
				s.format.Frames = -1
			}
			s.offset = offset
			return nil
		default:
			skip := size + size%2
			if n, err := s.r.Discard(int(min(skip, math.MaxInt32))); err != nil || int64(n) != skip {
				return s.errorf(ErrTruncated, offset+int64(n), "file ends inside the %q chunk (%d bytes announced)", id, size)
			}
			offset += skip
		}
	}
}

func (s *wavStream) Read(dst []float32) (int, error) {
	nc := s.format.NumChannels
	frames, err := s.begin(dst)
	if err != nil {
		return 0, err
	}
	if s.bytesLeft == 0 {
		return 0, io.EOF
	}
	want := int64(frames) * int64(s.blockAlign)
	want = min(want, s.bytesLeft)
	if cap(s.buf) < int(want) {
		s.buf = make([]byte, want)
	}
	buf := s.buf[:want]
	n, err := io.ReadFull(s.r, buf)
	unknownSize := s.format.Frames < 0
	if err != nil && !(unknownSize && (err == io.EOF || err == io.ErrUnexpectedEOF)) {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			// Hand over the whole frames that did arrive, with the error.
			got := n / s.blockAlign
			decodeSamples(dst[:got*nc], buf[:got*s.blockAlign], s.format.Encoding, s.format.BitsPerSample)
			terr := s.errorf(ErrTruncated, s.offset+int64(n), "file ends %d bytes into the remaining %d bytes of the \"data\" chunk", n, s.bytesLeft)
			s.offset += int64(n)
			s.bytesLeft = 0
			return got, terr
		}
		s.bytesLeft = 0
		return 0, fmt.Errorf("%s: reading WAV data at byte %d: %w", s.name, s.offset, err)
	}
	if unknownSize && n%s.blockAlign != 0 {
		// Hand over the whole frames before the cut, with the error.
		got := n / s.blockAlign
		decodeSamples(dst[:got*nc], buf[:got*s.blockAlign], s.format.Encoding, s.format.BitsPerSample)
		terr := s.errorf(ErrTruncated, s.offset+int64(n), "file ends inside a %d-byte frame", s.blockAlign)
		s.offset += int64(n)
		s.bytesLeft = 0
		return got, terr
	}
	buf = buf[:n]
	s.offset += int64(n)
	s.bytesLeft -= int64(n)
	if unknownSize && n < int(want) {
		s.bytesLeft = 0
	}
	got := n / s.blockAlign
	decodeSamples(dst[:got*nc], buf, s.format.Encoding, s.format.BitsPerSample)
	if got == 0 {
		return 0, io.EOF
	}
	return got, nil
}

// decodeSamples converts little-endian stored samples to full-scale float32.
func decodeSamples(dst []float32, src []byte, enc Encoding, bits int) {
	switch {
	case enc == PCM && bits == 8:
		for i := range dst {
			dst[i] = float32(int(src[i])-128) / 128
		}
	case enc == PCM && bits == 16:
		for i := range dst {
			dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) / (1 << 15)
		}
	case enc == PCM && bits == 24:
		for i := range dst {
			b := src[3*i : 3*i+3]
			v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
			dst[i] = float32(v) / (1 << 23)
		}
	case enc == PCM && bits == 32:
		for i := range dst {
			dst[i] = float32(float64(int32(binary.LittleEndian.Uint32(src[4*i:]))) / (1 << 31))
		}
	case enc == Float && bits == 32:
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
		}
	case enc == Float && bits == 64:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:])))
		}
	}
}

// WAVFormat chooses how WriteWAV stores samples.
type WAVFormat int

const (
	// WAV16 is 16-bit integer PCM: samples are clipped to [-1, 1] and rounded to the
	// nearest multiple of 2^-15.
	WAV16 WAVFormat = iota
	// WAV24 is 24-bit integer PCM.
	WAV24
	// WAVFloat32 is 32-bit IEEE float: samples are stored exactly.
	WAVFloat32
)

// EncodeWAV writes a WAV file of the given channels (planar, equal lengths) at
// sampleRateHz to w.
func EncodeWAV(w io.Writer, channels [][]float32, sampleRateHz int, format WAVFormat) error {
	nc := len(channels)
	if nc == 0 || nc > maxWAVChannels {
		return fmt.Errorf("EncodeWAV: %d channels, want 1 to %d", nc, maxWAVChannels)
	}
	if sampleRateHz <= 0 {
		return fmt.Errorf("EncodeWAV: sample rate %d Hz, want > 0", sampleRateHz)
	}
	frames := len(channels[0])
	for c, ch := range channels {
		if len(ch) != frames {
			return fmt.Errorf("EncodeWAV: channel %d has %d frames, channel 0 has %d", c, len(ch), frames)
		}
	}
	bits, tag := 16, wavFormatPCM
	switch format {
	case WAV24:
		bits = 24
	case WAVFloat32:
		bits, tag = 32, wavFormatFloat
	}
	blockAlign := nc * bits / 8
	dataSize := int64(frames) * int64(blockAlign)
	if dataSize+36 > math.MaxUint32 {
		return fmt.Errorf("EncodeWAV: %d frames × %d bytes exceed the 4 GiB WAV limit", frames, blockAlign)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	hdr := make([]byte, 44)
	copy(hdr[0:], "RIFF")
	binary.LittleEndian.PutUint32(hdr[4:], uint32(36+dataSize))
	copy(hdr[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(hdr[16:], 16)
	binary.LittleEndian.PutUint16(hdr[20:], uint16(tag))
	binary.LittleEndian.PutUint16(hdr[22:], uint16(nc))
	binary.LittleEndian.PutUint32(hdr[24:], uint32(sampleRateHz))
	binary.LittleEndian.PutUint32(hdr[28:], uint32(sampleRateHz*blockAlign))
	binary.LittleEndian.PutUint16(hdr[32:], uint16(blockAlign))
	binary.LittleEndian.PutUint16(hdr[34:], uint16(bits))
	copy(hdr[36:], "data")
	binary.LittleEndian.PutUint32(hdr[40:], uint32(dataSize))
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	var b [4]byte
	for i := 0; i < frames; i++ {
		for _, ch := range channels {
			v := ch[i]
			switch format {
			case WAVFloat32:
				binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
				bw.Write(b[:4])
			case WAV24:
				q := quantize(v, 1<<23)
				bw.Write([]byte{byte(q), byte(q >> 8), byte(q >> 16)})
			default:
				q := quantize(v, 1<<15)
				binary.LittleEndian.PutUint16(b[:], uint16(int16(q)))
				bw.Write(b[:2])
			}
		}
	}
	return bw.Flush()
}

// quantize rounds v·scale to the nearest integer, clipped to [-scale, scale-1].
func quantize(v float32, scale float64) int32 {
	x := math.Round(float64(v) * scale)
	if x > scale-1 {
		x = scale - 1
	}
	if x < -scale || math.IsNaN(x) {
		if math.IsNaN(x) {
			return 0
		}
		x = -scale
	}
	return int32(x)
}
