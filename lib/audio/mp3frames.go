package audio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// go-mp3 ends a stream without a word where the file ends inside a frame, and
// cannot know that frames are missing when a file is cut between two frames. So
// the package walks the MPEG frames itself (mp3Frames) and hands go-mp3 whole
// frames only: it then knows where the file was cut (a frame longer than what is
// left; fewer frames than the Xing/Info header announces), and where bytes that
// are not frames sit between frames (damaged data), and says so at the end of
// the stream.

// mp3Header holds the fields of a 4-byte MPEG audio frame header.
type mp3Header struct {
	version     int // 1 (MPEG-1), 2 (MPEG-2) or 25 (MPEG-2.5)
	layer       int // 1, 2 or 3
	crc         bool
	bitrateKbps int
	rateHz      int
	padding     bool
	mono        bool
}

var (
	mp3BitratesV1 = [3][15]int{ // layer 1, 2, 3; index 0 is "free format"
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	}
	mp3BitratesV2 = [3][15]int{
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	}
	mp3Rates = map[int][3]int{1: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 25: {11025, 12000, 8000}}
)

// parseMP3Header parses a frame header; ok is false when b is not one (no sync,
// a reserved field, or the free-format bitrate, whose frame size a header does
// not give).
func parseMP3Header(b []byte) (h mp3Header, ok bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return h, false
	}
	switch (b[1] >> 3) & 3 {
	case 0:
		h.version = 25
	case 2:
		h.version = 2
	case 3:
		h.version = 1
	default:
		return h, false
	}
	switch (b[1] >> 1) & 3 {
	case 1:
		h.layer = 3
	case 2:
		h.layer = 2
	case 3:
		h.layer = 1
	default:
		return h, false
	}
	h.crc = b[1]&1 == 0
	bi, ri := int(b[2]>>4), int(b[2]>>2)&3
	if bi == 0 || bi == 15 || ri == 3 {
		return h, false
	}
	if h.version == 1 {
		h.bitrateKbps = mp3BitratesV1[h.layer-1][bi]
	} else {
		h.bitrateKbps = mp3BitratesV2[h.layer-1][bi]
	}
	h.rateHz = mp3Rates[h.version][ri]
	h.padding = b[2]&2 != 0
	h.mono = b[3]>>6 == 3
	return h, true
}

// frameBytes is the length of the frame, header included.
func (h mp3Header) frameBytes() int {
	pad := 0
	if h.padding {
		pad = 1
	}
	switch {
	case h.layer == 1:
		return (12*h.bitrateKbps*1000/h.rateHz + pad) * 4
	case h.layer == 3 && h.version != 1:
		return 72*h.bitrateKbps*1000/h.rateHz + pad
	}
	return 144*h.bitrateKbps*1000/h.rateHz + pad
}

// samplesPerFrame is how many frames of sound (samples per channel) it decodes to.
func (h mp3Header) samplesPerFrame() int {
	switch {
	case h.layer == 1:
		return 384
	case h.layer == 3 && h.version != 1:
		return 576
	}
	return 1152
}

// decodable says whether go-mp3 decodes it (Layer III of MPEG-1 or MPEG-2).
func (h mp3Header) decodable() bool { return h.layer == 3 && h.version != 25 }

func (h mp3Header) String() string {
	v := map[int]string{1: "MPEG-1", 2: "MPEG-2", 25: "MPEG-2.5"}[h.version]
	return fmt.Sprintf("%s layer %s", v, [...]string{"I", "II", "III"}[h.layer-1])
}

// sameStream says whether two headers can belong to the same stream.
func (h mp3Header) sameStream(o mp3Header) bool {
	return h.version == o.version && h.layer == o.layer && h.rateHz == o.rateHz
}

// xingFrames reads the frame count of a Xing or Info header (LAME's and most
// encoders' first frame, which holds no sound), or -1 when frame has none. The
// count is of the frames after it.
func xingFrames(h mp3Header, frame []byte) int64 {
	off := 4
	if h.crc {
		off += 2
	}
	switch {
	case h.version == 1 && h.mono:
		off += 17
	case h.version == 1:
		off += 32
	case h.mono:
		off += 9
	default:
		off += 17
	}
	if len(frame) < off+12 {
		return -1
	}
	tag := string(frame[off : off+4])
	if tag != "Xing" && tag != "Info" {
		return -1
	}
	flags := binary.BigEndian.Uint32(frame[off+4:])
	if flags&1 == 0 {
		return -1
	}
	return int64(binary.BigEndian.Uint32(frame[off+8:]))
}

// id3v2Bytes is the length of the ID3v2 tag that head (≥ 10 bytes) starts, or 0.
func id3v2Bytes(head []byte) int {
	if len(head) < 10 || string(head[:3]) != "ID3" {
		return 0
	}
	size := int(head[6]&0x7f)<<21 | int(head[7]&0x7f)<<14 | int(head[8]&0x7f)<<7 | int(head[9]&0x7f)
	if head[5]&0x10 != 0 { // a footer follows
		size += 10
	}
	return 10 + size
}

// mp3Frames reads an MP3 file frame by frame and serves the whole, decodable
// frames to go-mp3. ID3v2 tags (anywhere), an ID3v1 tag and bytes that follow
// the last frame are left out; bytes that are not frames but are followed by
// more frames are left out and reported.
type mp3Frames struct {
	name    string
	r       *bufio.Reader
	offset  int64 // bytes of r consumed
	frame   []byte
	pending []byte
	first   mp3Header
	// frames counts the frames served; samples the frames of sound they hold.
	frames, samples int64
	// announced is the number of frames a Xing/Info header announces (itself
	// included), or -1.
	announced int64
	// skipped counts bytes between frames that were not frames, first at
	// skippedAt.
	skipped, skippedAt int64
	// end is what is wrong with the end of the file (a cut frame, missing
	// frames, skipped bytes), known once Read has returned io.EOF; nil when
	// nothing is.
	end  error
	done bool
}

func newMP3Frames(r io.Reader, name string) *mp3Frames {
	br := bufferedReader(r)
	return &mp3Frames{name: name, r: br, frame: make([]byte, 0, 4096), announced: -1}
}

func (m *mp3Frames) Read(b []byte) (int, error) {
	for len(m.pending) == 0 {
		if m.done {
			return 0, io.EOF
		}
		if err := m.next(); err != nil {
			m.done = true
			return 0, err
		}
	}
	n := copy(b, m.pending)
	m.pending = m.pending[n:]
	return n, nil
}

func (m *mp3Frames) errorf(sentinel error, offset int64, format string, args ...any) error {
	return fmt.Errorf("%s: byte %d: %s: %w", m.name, offset, fmt.Sprintf(format, args...), sentinel)
}

func (m *mp3Frames) discard(n int) error {
	k, err := m.r.Discard(n)
	m.offset += int64(k)
	return err
}

// finish records the verdict on the end of the file and ends the frames.
func (m *mp3Frames) finish(cut error) {
	m.done = true
	if cut == nil && m.announced >= 0 && m.frames < m.announced {
		cut = m.errorf(ErrTruncated, m.offset, "the file holds %d MP3 frames, its Xing/Info header announces %d (the file was cut)", m.frames, m.announced)
	}
	var skipped error
	if m.skipped > 0 {
		skipped = m.errorf(ErrCorrupt, m.skippedAt, "%d bytes between MP3 frames were not frames and were skipped (damaged data)", m.skipped)
	}
	switch {
	case cut != nil && skipped != nil:
		m.end = fmt.Errorf("%w; %w", skipped, cut)
	case cut != nil:
		m.end = cut
	case skipped != nil:
		m.end = skipped
	}
}

// next queues the next frame in pending, or finishes.
func (m *mp3Frames) next() error {
	for {
		head, _ := m.r.Peek(10)
		if len(head) == 0 {
			m.finish(nil)
			return nil
		}
		if n := id3v2Bytes(head); n > 0 {
			if err := m.discard(n); err != nil {
				m.finish(m.errorf(ErrTruncated, m.offset, "file ends inside a %d-byte ID3v2 tag", n))
			}
			continue
		}
		if len(head) >= 3 && string(head[:3]) == "TAG" && m.frames > 0 {
			m.discard(128) // ID3v1, at the end
			continue
		}
		h, ok := parseMP3Header(head)
		if ok && m.frames > 0 && !h.sameStream(m.first) {
			ok = false
		}
		if !ok {
			if !m.resync() {
				m.finish(nil) // what follows the last frame is not sound (tags, padding)
				return nil
			}
			continue
		}
		if m.frames == 0 && !h.decodable() {
			return m.errorf(ErrUnsupported, m.offset, "%s audio: only MP3 (MPEG-1 and MPEG-2 layer III) is decoded", h)
		}
		size := h.frameBytes()
		m.frame = m.frame[:size]
		start := m.offset
		n, err := io.ReadFull(m.r, m.frame)
		m.offset += int64(n)
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				m.finish(m.errorf(ErrTruncated, start, "file ends %d bytes into MP3 frame %d, which needs %d bytes (the file was cut)", n, m.frames, size))
				return nil
			}
			return fmt.Errorf("%s: reading MP3 frame %d at byte %d: %w", m.name, m.frames, start, err)
		}
		if m.frames == 0 {
			m.first = h
			if x := xingFrames(h, m.frame); x >= 0 {
				m.announced = x + 1
			}
		}
		m.frames++
		m.samples += int64(h.samplesPerFrame())
		m.pending = m.frame
		return nil
	}
}

// resync skips forward to the next frame header that another header (or the end
// of the file) confirms, counting the bytes skipped between frames. It returns
// false when no frame follows.
func (m *mp3Frames) resync() bool {
	from := m.offset
	for {
		if err := m.discard(1); err != nil {
			return false
		}
		head, _ := m.r.Peek(4)
		if len(head) < 4 {
			return false
		}
		h, ok := parseMP3Header(head)
		if !ok || (m.frames > 0 && !h.sameStream(m.first)) {
			continue
		}
		size := h.frameBytes()
		ahead, _ := m.r.Peek(size + 4)
		if len(ahead) == size {
			// The candidate ends exactly at the end of the file.
		} else if next, ok := parseMP3Header(ahead[min(size, len(ahead)):]); !ok || !next.sameStream(h) {
			continue
		}
		if m.frames > 0 {
			if m.skipped == 0 {
				m.skippedAt = from
			}
			m.skipped += m.offset - from
		}
		return true
	}
}
