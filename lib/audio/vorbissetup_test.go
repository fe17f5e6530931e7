package audio

import (
	"strings"
	"testing"
)

// setupPacket builds a Vorbis setup header of the given bits (written least
// significant first, as Vorbis packs them) after its 7-byte preamble.
func setupPacket(fields ...[2]uint32) []byte {
	var data []byte
	pos := 0
	for _, f := range fields {
		v, n := f[0], int(f[1])
		for i := range n {
			if pos>>3 >= len(data) {
				data = append(data, 0)
			}
			data[pos>>3] |= byte((v>>i)&1) << (pos & 7)
			pos++
		}
	}
	return append([]byte("\x05vorbis"), data...)
}

// TestCheckVorbisSetup: codebooks a Vorbis encoder writes pass; one whose
// counts exceed libvorbis's bound, one that ends with the packet, and a huge
// ordered one made of a few bits are refused before the decoder sizes its
// tables from them. The files under testdata/ (libvorbis-made) pass through
// the same check in every Ogg test.
func TestCheckVorbisSetup(t *testing.T) {
	one := [2]uint32{0, 8} // one codebook
	sync := [2]uint32{0x564342, 24}
	tests := []struct {
		name   string
		packet []byte
		want   string // "" for no error
	}{
		{"a small sparse-free book, no lookup", setupPacket(one, sync, [2]uint32{1, 16}, [2]uint32{4, 24}, [2]uint32{0, 1}, [2]uint32{0, 1},
			[2]uint32{1, 5}, [2]uint32{2, 5}, [2]uint32{3, 5}, [2]uint32{3, 5}, [2]uint32{0, 4}), ""},
		{"a book with a type-1 lookup", setupPacket(one, sync, [2]uint32{2, 16}, [2]uint32{4, 24}, [2]uint32{0, 1}, [2]uint32{0, 1},
			[2]uint32{1, 5}, [2]uint32{1, 5}, [2]uint32{1, 5}, [2]uint32{1, 5}, [2]uint32{1, 4}, [2]uint32{0, 32}, [2]uint32{0, 32}, [2]uint32{0, 4}, [2]uint32{0, 1},
			[2]uint32{0, 1}, [2]uint32{1, 1}), ""},
		{"more than libvorbis allows", setupPacket(one, sync, [2]uint32{1 << 15, 16}, [2]uint32{1 << 20, 24}), "more than a Vorbis codebook may hold"},
		{"ends inside its lengths", setupPacket(one, sync, [2]uint32{1, 16}, [2]uint32{100, 24}, [2]uint32{0, 1}, [2]uint32{0, 1}, [2]uint32{1, 5}), "ends inside its codebooks"},
		{"a million entries in 40 bits", setupPacket(one, sync, [2]uint32{1, 16}, [2]uint32{1<<22 + 1, 24}, [2]uint32{1, 1}, [2]uint32{0, 5}, [2]uint32{1<<22 + 1, 23}), "codebook entries in all"},
		{"no sync pattern", setupPacket(one, [2]uint32{0x123456, 24}), "no codebook sync pattern"},
		{"lookup type 3", setupPacket(one, sync, [2]uint32{1, 16}, [2]uint32{1, 24}, [2]uint32{0, 1}, [2]uint32{0, 1}, [2]uint32{0, 5}, [2]uint32{3, 4}), "lookup type 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkVorbisSetup(tc.packet)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if got := vorbisLookup1Values(16, 2); got != 4 {
		t.Errorf("lookup1_values(16, 2) = %d, want 4", got)
	}
	if got := vorbisLookup1Values(17, 2); got != 4 {
		t.Errorf("lookup1_values(17, 2) = %d, want 4", got)
	}
}
