package audio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/jfreymuth/oggvorbis"
)

// Ogg is a container of pages (RFC 3533): each page has a 27-byte header
// ("OggS", version, flags, granule position, stream serial number, page sequence
// number, CRC, segment count), a segment table and a body of at most 255×255
// bytes. Vorbis audio is decoded by github.com/jfreymuth/oggvorbis; this file reads
// and checks the pages itself before handing them on, so that a cut, damaged or
// chained file is named as such instead of ending early without a word, and so
// that an Ogg file of another codec is refused by name.

const (
	oggHeaderBytes  = 27
	oggMaxPageBytes = oggHeaderBytes + 255 + 255*255
	oggFlagBOS      = 0x02 // first page of a logical stream
	oggFlagEOS      = 0x04 // last page of a logical stream
)

// oggCRCTable is the table of Ogg's CRC-32: polynomial 0x04c11db7, not reflected,
// initial value 0, no final XOR.
var oggCRCTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

func oggCRC(crc uint32, b []byte) uint32 {
	for _, v := range b {
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^v]
	}
	return crc
}

// oggPageCRC is the checksum of a whole page (header, segment table and body),
// computed with the header's CRC field as zeros.
func oggPageCRC(page []byte) uint32 {
	var zero [4]byte
	crc := oggCRC(0, page[:22])
	crc = oggCRC(crc, zero[:])
	return oggCRC(crc, page[26:])
}

// oggCodec names the codec of an Ogg stream from its first packet.
func oggCodec(packet []byte) string {
	has := func(prefix string) bool { return len(packet) >= len(prefix) && string(packet[:len(prefix)]) == prefix }
	switch {
	case has("\x01vorbis"):
		return "Vorbis"
	case has("OpusHead"):
		return "Opus"
	case has("\x7fFLAC"):
		return "FLAC"
	case has("Speex   "):
		return "Speex"
	case has("\x80theora"):
		return "Theora (video)"
	case has("fishead\x00"):
		return "Skeleton (a multiplexed file)"
	case has("PCM     "):
		return "PCM"
	case has("\x80kate"):
		return "Kate (text)"
	}
	return fmt.Sprintf("an unknown codec (first packet starts %q)", packet[:min(len(packet), 8)])
}

// oggPages reads whole Ogg pages from r, checks each (capture pattern, version,
// checksum, one logical stream, consecutive sequence numbers) and serves their
// bytes to the Vorbis decoder. A page is served only once it has been read whole,
// so the decoder never sees a cut page; the errors say which page and byte.
type oggPages struct {
	name    string
	r       *bufio.Reader
	offset  int64  // bytes of r consumed
	page    []byte // the current page
	pending []byte // the part of page not yet served
	count   int    // pages read
	serial  uint32
	seq     uint32
	eos     bool   // the end-of-stream page has been read, or the file ended on a page boundary
	granule int64  // granule position of the last page that has one
	err     error  // sticky: once a page fails, every later Read returns the same error
	headers int    // header packets seen (checkHeaders), up to 3
	packet  []byte // the header packet being gathered
}

func (p *oggPages) Read(b []byte) (int, error) {
	for len(p.pending) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		if p.err = p.next(); p.err != nil {
			return 0, p.err
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

func (p *oggPages) errorf(sentinel error, offset int64, format string, args ...any) error {
	return fmt.Errorf("%s: byte %d: %s: %w", p.name, offset, fmt.Sprintf(format, args...), sentinel)
}

// next reads and checks the next page.
func (p *oggPages) next() error {
	if p.eos {
		return io.EOF // the decoder stops at the end-of-stream page; see trailing
	}
	start := p.offset
	if cap(p.page) < oggMaxPageBytes {
		p.page = make([]byte, oggMaxPageBytes)
	}
	page := p.page[:oggHeaderBytes]
	n, err := io.ReadFull(p.r, page)
	p.offset += int64(n)
	switch {
	case n == 0 && err == io.EOF && p.count == 0:
		return fmt.Errorf("%s: file is empty (0 bytes): %w", p.name, ErrEmpty)
	case n == 0 && err == io.EOF:
		// A last page that ends a packet was marked end-of-stream below, so the
		// file's last page ends inside a packet continued on a missing page.
		return p.errorf(ErrTruncated, start, "the Ogg stream ends after page %d, inside a packet continued on a page that is missing (the file was cut)", p.count-1)
	case err == io.ErrUnexpectedEOF:
		return p.errorf(ErrTruncated, start, "file ends %d bytes into the 27-byte header of Ogg page %d", n, p.count)
	case err != nil:
		return fmt.Errorf("%s: reading Ogg page %d at byte %d: %w", p.name, p.count, start, err)
	}
	if string(page[:4]) != "OggS" {
		return p.errorf(ErrCorrupt, start, "Ogg page %d: expected \"OggS\", found %q", p.count, page[:4])
	}
	if page[4] != 0 {
		return p.errorf(ErrUnsupported, start+4, "Ogg page %d has version %d (only 0 exists)", p.count, page[4])
	}
	nseg := int(page[26])
	page = p.page[:oggHeaderBytes+nseg]
	n, err = io.ReadFull(p.r, page[oggHeaderBytes:])
	p.offset += int64(n)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return p.errorf(ErrTruncated, p.offset, "file ends inside the segment table of Ogg page %d (at byte %d)", p.count, start)
		}
		return fmt.Errorf("%s: reading Ogg page %d at byte %d: %w", p.name, p.count, start, err)
	}
	body := 0
	for _, s := range page[oggHeaderBytes:] {
		body += int(s)
	}
	page = p.page[:oggHeaderBytes+nseg+body]
	n, err = io.ReadFull(p.r, page[oggHeaderBytes+nseg:])
	p.offset += int64(n)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return p.errorf(ErrTruncated, p.offset, "file ends %d bytes into the %d-byte body of Ogg page %d (at byte %d)", n, body, p.count, start)
		}
		return fmt.Errorf("%s: reading Ogg page %d at byte %d: %w", p.name, p.count, start, err)
	}
	if got, want := oggPageCRC(page), binary.LittleEndian.Uint32(page[22:]); got != want {
		return p.errorf(ErrCorrupt, start, "Ogg page %d: checksum %08x, the page says %08x (damaged data)", p.count, got, want)
	}
	if page[5]&oggFlagEOS == 0 && (nseg == 0 || page[oggHeaderBytes+nseg-1] < 255) {
		if _, err := p.r.Peek(1); err == io.EOF {
			// The file ends with this page, which ends a packet, but lacks the
			// end-of-stream flag. Some writers omit it (sox and libvorbis decode
			// such files in full), so the page is marked as the last for the
			// decoder, which then trims the last packet to the page's granule
			// position as for any last page. (A cut exactly between two pages
			// looks the same, and is read the same way.)
			page[5] |= oggFlagEOS
			binary.LittleEndian.PutUint32(page[22:], oggPageCRC(page))
		}
	}
	flags := page[5]
	granule := int64(binary.LittleEndian.Uint64(page[6:]))
	serial := binary.LittleEndian.Uint32(page[14:])
	seq := binary.LittleEndian.Uint32(page[18:])
	if p.count == 0 {
		p.serial = serial
	} else {
		if serial != p.serial {
			return p.errorf(ErrUnsupported, start, "Ogg page %d belongs to a second logical stream (serial %d, the first is %d): files that multiplex several streams are not decoded", p.count, serial, p.serial)
		}
		if seq != p.seq+1 {
			return p.errorf(ErrCorrupt, start, "Ogg page %d has sequence number %d after %d: pages are missing", p.count, seq, p.seq)
		}
	}
	p.seq = seq
	if granule != -1 {
		p.granule = granule
	}
	p.eos = flags&oggFlagEOS != 0
	if err := p.checkHeaders(page[oggHeaderBytes:oggHeaderBytes+nseg], page[oggHeaderBytes+nseg:]); err != nil {
		return p.errorf(ErrCorrupt, start, "Ogg page %d: Vorbis setup header: %v", p.count, err)
	}
	p.count++
	p.pending = page
	return nil
}

// checkHeaders gathers the stream's first three packets (the Vorbis headers)
// from the pages as they are read, and checks the setup header's codebooks
// (checkVorbisSetup) before the page that completes it reaches the decoder.
func (p *oggPages) checkHeaders(lacing, body []byte) error {
	for _, l := range lacing {
		if p.headers >= 3 {
			return nil
		}
		p.packet = append(p.packet, body[:l]...)
		body = body[l:]
		if l < 255 {
			p.headers++
			if p.headers == 3 {
				err := checkVorbisSetup(p.packet)
				p.packet = nil
				return err
			}
			p.packet = p.packet[:0]
		}
	}
	return nil
}

// trailing is called once the decoder has reached the end-of-stream page: a
// second (chained) Ogg stream after it is an error; other trailing bytes (some
// recorders pad files) are ignored, as libvorbis ignores them.
func (p *oggPages) trailing() error {
	head, _ := p.r.Peek(oggHeaderBytes)
	if len(head) >= 6 && string(head[:4]) == "OggS" {
		return p.errorf(ErrUnsupported, p.offset, "a second, chained Ogg stream follows the end of the first: chained Ogg files are not decoded (split them, e.g. with oggz or ffmpeg)")
	}
	return nil
}

// oggTailFrames returns the granule position of the last page of an Ogg file when
// that page is whole, has a valid checksum and belongs to the stream serial: for
// Vorbis that is the number of frames. Its end-of-stream flag is not required
// (some writers omit it; see oggPages.next). It returns -1 when the file's end
// is not such a page (a file cut inside a page, or one still being written).
func oggTailFrames(f *os.File, serial uint32) int64 {
	info, err := f.Stat()
	if err != nil {
		return -1
	}
	size := info.Size()
	n := min(size, int64(oggMaxPageBytes))
	tail := make([]byte, n)
	if _, err := f.ReadAt(tail, size-n); err != nil {
		return -1
	}
	// The last page ends exactly at the end of the file; search backwards for it.
	for i := len(tail) - oggHeaderBytes; i >= 0; i-- {
		if string(tail[i:i+4]) != "OggS" {
			continue
		}
		page := tail[i:]
		nseg := int(page[26])
		if len(page) < oggHeaderBytes+nseg {
			continue
		}
		body := 0
		for _, s := range page[oggHeaderBytes : oggHeaderBytes+nseg] {
			body += int(s)
		}
		if len(page) != oggHeaderBytes+nseg+body {
			continue
		}
		if oggPageCRC(page) != binary.LittleEndian.Uint32(page[22:]) {
			continue
		}
		granule := int64(binary.LittleEndian.Uint64(page[6:]))
		if binary.LittleEndian.Uint32(page[14:]) != serial || granule < 0 {
			return -1
		}
		return granule
	}
	return -1
}

// oggStream adapts github.com/jfreymuth/oggvorbis, which decodes one Vorbis
// packet at a time into interleaved float32 samples (clamped to ±1).
type oggStream struct {
	streamBase
	pages     *oggPages
	dec       *oggvorbis.Reader
	delivered int64
}

// NewOggStream parses the headers of an Ogg Vorbis stream from r and returns a
// Stream positioned at the first frame; Format().Frames is -1 (Open, given a
// file, reads the length from the last page). An Ogg file of another codec (Opus,
// FLAC, Speex, ...) is an error wrapping ErrUnsupported that names the codec.
// name is used in errors.
func NewOggStream(r io.Reader, name string) (Stream, error) {
	return newOggStream(r, name, nil)
}

// newOggStream is NewOggStream; when file is not nil, the stream's length is read
// from the file's last page.
func newOggStream(r io.Reader, name string, file *os.File) (s Stream, err error) {
	br := bufferedReader(r)
	// Name the codec from the first packet before handing the pages to the decoder.
	head, _ := br.Peek(oggHeaderBytes)
	if len(head) == 0 {
		return nil, fmt.Errorf("%s: file is empty (0 bytes): %w", name, ErrEmpty)
	}
	if len(head) < oggHeaderBytes {
		return nil, fmt.Errorf("%s: byte %d: file ends inside the 27-byte header of the first Ogg page: %w", name, len(head), ErrTruncated)
	}
	if string(head[:4]) != "OggS" {
		return nil, fmt.Errorf("%s: byte 0: expected \"OggS\", found %q: %w", name, head[:4], ErrCorrupt)
	}
	nseg := int(head[26])
	first, _ := br.Peek(oggHeaderBytes + nseg + 16)
	idChannels := 0 // the channel count the Vorbis identification header gives
	if packet := first[min(len(first), oggHeaderBytes+nseg):]; len(packet) > 0 {
		if codec := oggCodec(packet); codec != "Vorbis" {
			return nil, fmt.Errorf("%s: an Ogg file of %s audio; only Ogg Vorbis is decoded (convert it to FLAC or WAV first): %w", name, codec, ErrUnsupported)
		}
		if len(packet) > 11 {
			idChannels = int(packet[11])
		}
	}
	serial := binary.LittleEndian.Uint32(head[14:])

	pages := &oggPages{name: name, r: br}
	defer func() {
		if p := recover(); p != nil { // the decoder panics on some malformed input
			s, err = nil, fmt.Errorf("%s: Vorbis headers: %v: %w", name, p, ErrCorrupt)
		}
	}()
	dec, err := oggvorbis.NewReader(pages)
	if err == io.EOF && pages.eos {
		return nil, fmt.Errorf("%s: the Ogg Vorbis stream ends after its headers: %w", name, ErrEmpty)
	}
	if err != nil && idChannels == 6 && err.Error() == "vorbis: decoding error" {
		// jfreymuth/vorbis v1.0.2 reads one floor class too many from a floor of no
		// partitions, which libvorbis writes for the LFE channel of 5.1 files (at
		// 44.1 and 48 kHz), and then fails on the rest of the setup header.
		return nil, fmt.Errorf("%s: a 6-channel (5.1) Ogg Vorbis file whose setup header the pure-Go Vorbis decoder cannot read (its known limitation with the LFE channel's floor; the file may be fine: convert it to FLAC or WAV, e.g. with sox): %w", name, ErrUnsupported)
	}
	if err != nil {
		return nil, oggError(name, pages, "Vorbis headers", err)
	}
	if dec.Channels() <= 0 || dec.SampleRate() <= 0 {
		return nil, fmt.Errorf("%s: Vorbis header: %d channels, %d Hz: %w", name, dec.Channels(), dec.SampleRate(), ErrCorrupt)
	}
	vs := &oggStream{streamBase: newStreamBase(r, name), pages: pages, dec: dec}
	frames := int64(-1)
	if file != nil {
		frames = oggTailFrames(file, serial)
	}
	vs.format = Format{SampleRateHz: dec.SampleRate(), NumChannels: dec.Channels(), Encoding: Vorbis, Frames: frames}
	return vs, nil
}

// oggError wraps an error from the page reader or the decoder: the page reader's
// errors already name the file and wrap a sentinel; the decoder's are corrupt data.
func oggError(name string, pages *oggPages, what string, err error) error {
	if isOwnError(err) {
		return err
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: byte %d: %s: the Ogg stream ends early: %w", name, pages.offset, what, ErrTruncated)
	}
	return fmt.Errorf("%s: %s in Ogg page %d (before byte %d): %v: %w", name, what, pages.count-1, pages.offset, err, ErrCorrupt)
}

// Read decodes up to len(dst)/NumChannels frames. A cut file gives the frames
// decoded before the cut with an error wrapping ErrTruncated, then io.EOF.
func (s *oggStream) Read(dst []float32) (n int, err error) {
	nc := s.format.NumChannels
	frames, err := s.begin(dst)
	if err != nil {
		return 0, err
	}
	got := 0
	defer func() {
		if p := recover(); p != nil {
			s.done = true
			n, err = got/nc, fmt.Errorf("%s: Vorbis data in Ogg page %d (before byte %d): %v: %w", s.name, s.pages.count-1, s.pages.offset, p, ErrCorrupt)
		}
		s.delivered += int64(n)
	}()
	want := frames * nc
	stalls := 0
	for got < want {
		k, err := s.dec.Read(dst[got:want])
		got += k
		if err == io.EOF && s.pages.eos {
			s.done = true
			if terr := s.pages.trailing(); terr != nil {
				return got / nc, terr
			}
			if got == 0 {
				return 0, io.EOF
			}
			return got / nc, nil
		}
		if err != nil {
			s.done = true
			return got / nc, oggError(s.name, s.pages, "Vorbis data", err)
		}
		if k == 0 {
			if stalls++; stalls > maxStalls {
				s.done = true
				return got / nc, fmt.Errorf("%s: Vorbis data in Ogg page %d: the decoder makes no progress: %w", s.name, s.pages.count-1, ErrCorrupt)
			}
		} else {
			stalls = 0
		}
	}
	return got / nc, nil
}
