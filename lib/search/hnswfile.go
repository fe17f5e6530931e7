package search

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// hnswMagic starts every HNSW file. The last two bytes (a newline and a
// control-Z) make a text-mode transfer that rewrites line ends show up as a
// bad magic rather than as a damaged body.
var hnswMagic = [8]byte{'D', 'C', 'H', 'N', 'S', 'W', '\n', 0x1a}

// HNSWFileVersion is the version of the HNSW file format that WriteTo writes
// and ReadHNSW reads. A format change that older readers cannot read raises
// it; ReadHNSW refuses other versions with an error that names both.
const HNSWFileVersion = 1

// hnswHeaderSize is the size of the fixed header in bytes (magic through the
// entry point's layer).
const hnswHeaderSize = 8 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + pcgStateSize + 4 + 4

// pcgStateSize is the size of a marshalled math/rand/v2 PCG ("pcg:" and two
// uint64).
const pcgStateSize = 20

// ErrCorruptIndex is returned (wrapped) by ReadHNSW and LoadHNSW when the data
// are not a whole, undamaged HNSW file: a bad magic, a truncated body, a value
// out of range, or a digest that does not match.
var ErrCorruptIndex = errors.New("damaged or not an HNSW index file")

// WriteTo writes the index to w in the HNSW file format, version
// HNSWFileVersion, and returns the number of bytes written. Every number is
// little-endian:
//
//	offset  size        field
//	0       8           magic "DCHNSW\n\x1a"
//	8       4           version (uint32, 1)
//	12      4           dim (uint32)
//	16      8           n, the number of vectors (uint64)
//	24      4           M (uint32)
//	28      4           EfConstruction (uint32)
//	32      4           EfSearch (uint32)
//	36      8           Seed (uint64)
//	44      20          state of the layer draws (math/rand/v2 PCG, marshalled)
//	64      4           entry point (uint32 node)
//	68      4           entry point's layer (uint32)
//	72      4·n·dim     the unit vectors, row after row (float32)
//	…       n           each node's top layer (uint8, ≤ 16)
//	…       …           each node's links, node after node, layer 0 first:
//	                    a count (uint32, ≤ 2·M on layer 0, ≤ M above) then the
//	                    neighbors (uint32 nodes)
//	end−32  32          SHA-256 of every byte before it
//
// Workers is not stored: it is a property of the machine, not of the graph.
// A reader checks the digest and every value (links point at existing nodes
// that live on that layer, the entry point is on the top layer), so a damaged
// file gives an error wrapping ErrCorruptIndex, never an index that panics
// or answers wrongly.
func (h *HNSW) WriteTo(w io.Writer) (int64, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	cw := &countingWriter{w: w}
	digest := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(cw, digest), 1<<16)
	state, err := h.layerSource.MarshalBinary()
	if err != nil || len(state) != pcgStateSize {
		return 0, fmt.Errorf("search.HNSW.WriteTo: layer draws' state: %d bytes, %v", len(state), err)
	}
	header := make([]byte, 0, hnswHeaderSize)
	header = append(header, hnswMagic[:]...)
	header = binary.LittleEndian.AppendUint32(header, HNSWFileVersion)
	header = binary.LittleEndian.AppendUint32(header, uint32(h.dim))
	header = binary.LittleEndian.AppendUint64(header, uint64(h.n))
	header = binary.LittleEndian.AppendUint32(header, uint32(h.opts.M))
	header = binary.LittleEndian.AppendUint32(header, uint32(h.opts.EfConstruction))
	header = binary.LittleEndian.AppendUint32(header, uint32(h.opts.EfSearch))
	header = binary.LittleEndian.AppendUint64(header, h.opts.Seed)
	header = append(header, state...)
	header = binary.LittleEndian.AppendUint32(header, uint32(h.entry))
	header = binary.LittleEndian.AppendUint32(header, uint32(h.entryLevel))
	bw.Write(header)
	buf := make([]byte, 0, 1<<16)
	for i, x := range h.unit {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		if len(buf) == cap(buf) || i == len(h.unit)-1 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	for _, l := range h.levels {
		bw.WriteByte(byte(l))
	}
	for _, nodeLinks := range h.links {
		for _, list := range nodeLinks {
			buf = binary.LittleEndian.AppendUint32(buf[:0], uint32(len(list)))
			for _, nb := range list {
				buf = binary.LittleEndian.AppendUint32(buf, uint32(nb))
			}
			bw.Write(buf)
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("search.HNSW.WriteTo: %w", err)
	}
	n, err := w.Write(digest.Sum(nil))
	cw.n += int64(n)
	if err != nil {
		return cw.n, fmt.Errorf("search.HNSW.WriteTo: %w", err)
	}
	return cw.n, nil
}

// Save writes the index to path (WriteTo's format), atomically: a reader or a
// crash sees the old file or the new one, never half of one.
func (h *HNSW) Save(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := h.WriteTo(w)
		return err
	})
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// LoadHNSW reads an index saved by Save (see ReadHNSW); errors name the file.
func LoadHNSW(path string) (*HNSW, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("search.LoadHNSW: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	h, err := readHNSW(br, true)
	if err == nil {
		if _, extra := br.ReadByte(); extra == nil {
			err = corrupt("data after the digest")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("search.LoadHNSW: %s: %w", path, err)
	}
	return h, nil
}

// ReadHNSW reads an index written by WriteTo, and no byte after it (so an
// index may be followed by other data in a stream). It answers every search exactly
// as the index that was written (same hits, same scores, bit for bit), and
// grows by Add as that index would have. Workers is set to
// runtime.GOMAXPROCS(0) (see SetWorkers). Data that are not a whole, undamaged
// index give an error wrapping ErrCorruptIndex; a file of another format
// version gives an error naming both versions.
func ReadHNSW(r io.Reader) (*HNSW, error) {
	h, err := readHNSW(r, true)
	if err != nil {
		return nil, fmt.Errorf("search.ReadHNSW: %w", err)
	}
	return h, nil
}

// hnswReader reads little-endian values through a digest, remembering the
// first error.
type hnswReader struct {
	r      io.Reader
	digest hash.Hash
	buf    [8]byte
}

func (r *hnswReader) full(p []byte) error {
	if _, err := io.ReadFull(r.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: truncated", ErrCorruptIndex)
		}
		return err
	}
	r.digest.Write(p)
	return nil
}

func (r *hnswReader) u32() (uint32, error) {
	err := r.full(r.buf[:4])
	return binary.LittleEndian.Uint32(r.buf[:4]), err
}

// corrupt returns an error wrapping ErrCorruptIndex that says what is wrong.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorruptIndex, fmt.Sprintf(format, args...))
}

// readChunk is how many values readHNSW reads at a time: memory grows with
// the data actually read, not with the sizes a (possibly damaged) header
// announces.
const readChunk = 1 << 14

// readHNSW reads WriteTo's format; checkDigest false skips the digest check
// only (the fuzz test uses it to reach the structural checks).
func readHNSW(in io.Reader, checkDigest bool) (*HNSW, error) {
	r := &hnswReader{r: in, digest: sha256.New()}
	header := make([]byte, hnswHeaderSize)
	if err := r.full(header[:12]); err != nil {
		return nil, err
	}
	if !bytes.Equal(header[:8], hnswMagic[:]) {
		return nil, corrupt("bad magic %q (want %q)", header[:8], hnswMagic[:])
	}
	if v := binary.LittleEndian.Uint32(header[8:12]); v != HNSWFileVersion {
		return nil, fmt.Errorf("HNSW file format version %d; this program reads version %d", v, HNSWFileVersion)
	}
	if err := r.full(header[12:]); err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	dim := le.Uint32(header[12:])
	n := le.Uint64(header[16:])
	m, efc, efs := le.Uint32(header[24:]), le.Uint32(header[28:]), le.Uint32(header[32:])
	seed := le.Uint64(header[36:])
	state := header[44 : 44+pcgStateSize]
	entry, entryLevel := le.Uint32(header[64:]), le.Uint32(header[68:])
	switch {
	case dim == 0 || dim > 1<<20:
		return nil, corrupt("dimension %d", dim)
	case n == 0 || n > maxNodes:
		return nil, corrupt("%d vectors", n)
	case m < 2 || m > maxM || efc < 1 || efc > math.MaxInt32 || efs < 1 || efs > math.MaxInt32:
		return nil, corrupt("options M %d, EfConstruction %d, EfSearch %d", m, efc, efs)
	case uint64(entry) >= n || entryLevel > maxLayer:
		return nil, corrupt("entry point %d on layer %d (of %d vectors)", entry, entryLevel, n)
	}
	h := &HNSW{dim: int(dim), n: int(n), entry: int32(entry), entryLevel: int(entryLevel),
		opts:        HNSWOptions{M: int(m), EfConstruction: int(efc), EfSearch: int(efs), Seed: seed, Workers: runtime.GOMAXPROCS(0)},
		layerSource: &rand.PCG{}}
	if err := h.layerSource.UnmarshalBinary(state); err != nil {
		return nil, corrupt("state of the layer draws: %v", err)
	}
	h.visitedPool.New = func() any { return &visited{} }

	total := n * uint64(dim)
	raw := make([]byte, 4*readChunk)
	for read := uint64(0); read < total; {
		c := min(total-read, readChunk)
		if err := r.full(raw[:4*c]); err != nil {
			return nil, err
		}
		h.unit = grow(h.unit, int(read+c), int(total))
		for j := range c {
			x := math.Float32frombits(le.Uint32(raw[4*j:]))
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, corrupt("vector %d: element %d is %v", (read+j)/uint64(dim), (read+j)%uint64(dim), x)
			}
			h.unit = append(h.unit, x)
		}
		read += c
	}
	for read := uint64(0); read < n; {
		c := min(n-read, readChunk)
		if err := r.full(raw[:c]); err != nil {
			return nil, err
		}
		h.levels = grow(h.levels, int(read+c), int(n))
		for j, b := range raw[:c] {
			if b > maxLayer {
				return nil, corrupt("node %d on layer %d (at most %d)", read+uint64(j), b, maxLayer)
			}
			h.levels = append(h.levels, int8(b))
		}
		read += c
	}
	topLevel := int8(0)
	for _, l := range h.levels {
		topLevel = max(topLevel, l)
	}
	if int(h.levels[entry]) != int(entryLevel) || int(entryLevel) != int(topLevel) {
		return nil, corrupt("entry point %d on layer %d, but the node's layer is %d and the top layer %d",
			entry, entryLevel, h.levels[entry], topLevel)
	}
	for i := range n {
		h.links = grow(h.links, int(i)+1, int(n))
		nodeLinks := make([][]int32, h.levels[i]+1)
		for layer := range nodeLinks {
			count, err := r.u32()
			if err != nil {
				return nil, err
			}
			if int(count) > h.maxLinks(layer) {
				return nil, corrupt("node %d has %d links on layer %d (at most %d)", i, count, layer, h.maxLinks(layer))
			}
			if err := r.full(raw[:4*count]); err != nil {
				return nil, err
			}
			list := make([]int32, count, h.maxLinks(layer))
			for j := range list {
				nb := le.Uint32(raw[4*j:])
				if uint64(nb) >= n || uint64(nb) == i || int(h.levels[nb]) < layer {
					return nil, corrupt("node %d links to node %d on layer %d", i, nb, layer)
				}
				list[j] = int32(nb)
			}
			nodeLinks[layer] = list
		}
		h.links = append(h.links, nodeLinks)
	}
	want := r.digest.Sum(nil)
	got := make([]byte, sha256.Size)
	if _, err := io.ReadFull(in, got); err != nil {
		return nil, corrupt("truncated before its digest")
	}
	if checkDigest && !bytes.Equal(got, want) {
		return nil, corrupt("SHA-256 digest does not match the content")
	}
	return h, nil
}

// grow returns s with room for at least need elements, doubling its capacity
// (up to limit, the size the header announces) rather than letting append
// grow a large slice by a quarter at a time: the memory allocated stays
// proportional to the data actually read.
func grow[T any](s []T, need, limit int) []T {
	if cap(s) >= need {
		return s
	}
	return slices.Grow(s, min(max(2*cap(s), need, readChunk), limit)-len(s))
}
