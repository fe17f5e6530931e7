package audio

import (
	"errors"
	"fmt"
)

// Limits on a Vorbis setup header's codebooks, checked before the header
// reaches the decoder. The pure-Go decoder reads the header's bits past its
// end as zeros and sizes its tables from the counts it reads, so a damaged
// header could make it loop for minutes or ask for gigabytes (found by
// FuzzOggDecode: a 10 KB file took 43 s). libvorbis refuses a codebook
// whose ilog(dimensions)+ilog(entries) exceeds 24 and a header that ends
// inside a codebook; so do we, and we also bound the whole header's entries
// and values far above what encoders write (a few thousand entries in all).
const (
	vorbisMaxBookBits     = 24      // libvorbis's bound on ilog(dimensions)+ilog(entries)
	vorbisMaxTotalEntries = 1 << 22 // entries over all codebooks
	vorbisMaxTotalValues  = 1 << 24 // entries × dimensions over all codebooks with a lookup table
)

var errSetupEnds = errors.New("the setup header ends inside its codebooks")

// vorbisBits reads a Vorbis packet's bits, least significant first, and fails
// at the packet's end instead of reading zeros.
type vorbisBits struct {
	data []byte
	pos  int // in bits
}

func (b *vorbisBits) left() int { return 8*len(b.data) - b.pos }

func (b *vorbisBits) read(n int) (uint32, error) {
	if n > b.left() {
		return 0, errSetupEnds
	}
	var v uint32
	for i := range n {
		bit := (b.data[b.pos>>3] >> (b.pos & 7)) & 1
		v |= uint32(bit) << i
		b.pos++
	}
	return v, nil
}

func vorbisIlog(x uint32) int {
	n := 0
	for ; x > 0; x >>= 1 {
		n++
	}
	return n
}

// checkVorbisSetup checks the codebooks of a Vorbis setup header (the
// stream's third packet) against the limits above; it reads nothing past
// them. The error says which codebook and why.
func checkVorbisSetup(packet []byte) error {
	if len(packet) < 8 || packet[0] != 5 || string(packet[1:7]) != "vorbis" {
		return nil // not a setup header: the decoder says so
	}
	b := &vorbisBits{data: packet[7:]}
	count, err := b.read(8)
	if err != nil {
		return err
	}
	var totalEntries, totalValues int
	for book := range int(count) + 1 {
		fail := func(err error) error { return fmt.Errorf("codebook %d of %d: %w", book, count+1, err) }
		sync, err := b.read(24)
		if err != nil {
			return fail(err)
		}
		if sync != 0x564342 {
			return fail(fmt.Errorf("no codebook sync pattern (found %06x)", sync))
		}
		dims, err := b.read(16)
		if err != nil {
			return fail(err)
		}
		entries, err := b.read(24)
		if err != nil {
			return fail(err)
		}
		if vorbisIlog(dims)+vorbisIlog(entries) > vorbisMaxBookBits {
			return fail(fmt.Errorf("%d entries of %d dimensions: more than a Vorbis codebook may hold", entries, dims))
		}
		if totalEntries += int(entries); totalEntries > vorbisMaxTotalEntries {
			return fail(fmt.Errorf("%d codebook entries in all, more than %d", totalEntries, vorbisMaxTotalEntries))
		}
		ordered, err := b.read(1)
		if err != nil {
			return fail(err)
		}
		if ordered == 0 {
			sparse, err := b.read(1)
			if err != nil {
				return fail(err)
			}
			for range entries {
				used := uint32(1)
				if sparse == 1 {
					if used, err = b.read(1); err != nil {
						return fail(err)
					}
				}
				if used == 1 {
					if _, err := b.read(5); err != nil {
						return fail(err)
					}
				}
			}
		} else {
			if _, err := b.read(5); err != nil {
				return fail(err)
			}
			for current := uint32(0); current < entries; {
				num, err := b.read(vorbisIlog(entries - current))
				if err != nil {
					return fail(err)
				}
				if num > entries-current {
					return fail(fmt.Errorf("ordered lengths give %d entries of %d", current+num, entries))
				}
				current += num
				if num == 0 && b.left() == 0 {
					return fail(errSetupEnds)
				}
			}
		}
		lookup, err := b.read(4)
		if err != nil {
			return fail(err)
		}
		switch lookup {
		case 0:
			continue
		case 1, 2:
		default:
			return fail(fmt.Errorf("lookup type %d (only 0, 1 and 2 exist)", lookup))
		}
		if totalValues += int(entries) * int(dims); totalValues > vorbisMaxTotalValues {
			return fail(fmt.Errorf("%d codebook values in all, more than %d", totalValues, vorbisMaxTotalValues))
		}
		if _, err := b.read(32 + 32); err != nil {
			return fail(err)
		}
		valueBits, err := b.read(4)
		if err != nil {
			return fail(err)
		}
		if _, err := b.read(1); err != nil { // sequence_p
			return fail(err)
		}
		values := int(entries) * int(dims)
		if lookup == 1 {
			values = vorbisLookup1Values(int(entries), int(dims))
		}
		if values*(int(valueBits)+1) > b.left() {
			return fail(errSetupEnds)
		}
		b.pos += values * (int(valueBits) + 1)
	}
	return nil
}

// vorbisLookup1Values is the greatest r with r^dims ≤ entries (the Vorbis
// specification's lookup1_values).
func vorbisLookup1Values(entries, dims int) int {
	if dims == 0 {
		return 0
	}
	r := 0
	for {
		p := 1
		for range dims {
			p *= r + 1
			if p > entries {
				return r
			}
		}
		r++
	}
}
