package embed

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

// A cache file is: the magic cacheMagic, a uint32 (little-endian) length, that
// many bytes of JSON header (cacheHeader), Rows×Dim float32 little-endian
// values, then the SHA-256 of everything before it. The header carries the
// entry's own cache key, so that a valid file copied or renamed under another
// key is not served for it.
const cacheMagic = "DCEMBED2"

type cacheHeader struct {
	CacheKey              string
	Model, Layer, Pooling string
	Rows, Dim             int
	Keys                  []Key
	Dropped               []Dropped `json:",omitempty"`
}

// cachePath is where the entry with that key lives.
func cachePath(dir, key string) string { return filepath.Join(dir, key+".emb") }

// readCache returns the cached embeddings under key, with the model, layer and
// pooling of like; ok is false on a miss. A damaged file is a miss, with a note
// to o.Progress (or standard error).
func readCache(o Options, key string, like *Embeddings) (e *Embeddings, ok bool) {
	path := cachePath(o.CacheDir, key)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	var entryKey string
	if err == nil {
		e, entryKey, err = decodeCache(data)
	}
	if err == nil && entryKey != key {
		err = fmt.Errorf("holds the entry of key %s, not its own (a file copied or renamed)", entryKey)
	}
	if err == nil && (e.Model != like.Model || e.Layer != like.Layer || e.Pooling != like.Pooling) {
		err = fmt.Errorf("holds model %s layer %q pooling %v, want %s %q %v", e.Model, e.Layer, e.Pooling, like.Model, like.Layer, like.Pooling)
	}
	if err != nil {
		note(o, "embed: ignoring damaged cache file %s (%v); recomputing\n", path, err)
		return nil, false
	}
	return e, true
}

// writeCache stores e under key; a failure only costs a note (the embeddings
// are already computed and returned).
func writeCache(o Options, key string, e *Embeddings) {
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		note(o, "embed: cannot cache: %v\n", err)
		return
	}
	path := cachePath(o.CacheDir, key)
	if err := atomicfile.WriteFile(path, encodeCache(key, e)); err != nil {
		note(o, "embed: cannot cache: %v\n", err)
	}
}

func note(o Options, format string, args ...any) {
	w := o.Progress
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, format, args...)
}

func encodeCache(key string, e *Embeddings) []byte {
	header, _ := json.Marshal(cacheHeader{CacheKey: key, Model: e.Model, Layer: e.Layer, Pooling: e.Pooling.String(), Rows: e.Len(), Dim: e.Dim(),
		Keys: e.Keys, Dropped: e.Dropped})
	var buf bytes.Buffer
	buf.WriteString(cacheMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(len(header)))
	buf.Write(header)
	var b [4]byte
	for _, v := range e.Vectors {
		for _, x := range v {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(x))
			buf.Write(b[:])
		}
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	return buf.Bytes()
}

// decodeCache returns the embeddings of a cache file and the key it was
// written under.
func decodeCache(data []byte) (*Embeddings, string, error) {
	e, h, err := decodeCacheFile(data)
	return e, h.CacheKey, err
}

func decodeCacheFile(data []byte) (*Embeddings, cacheHeader, error) {
	var h cacheHeader
	if len(data) < len(cacheMagic)+4+sha256.Size || string(data[:len(cacheMagic)]) != cacheMagic {
		return nil, h, errors.New("not a cache file of this version")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(want[:], sum) {
		return nil, h, errors.New("checksum mismatch")
	}
	r := bytes.NewReader(body[len(cacheMagic):])
	var n uint32
	binary.Read(r, binary.LittleEndian, &n)
	if int64(n) > int64(r.Len()) {
		return nil, h, errors.New("header longer than the file")
	}
	hb := make([]byte, n)
	io.ReadFull(r, hb)
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, h, fmt.Errorf("header: %w", err)
	}
	if h.Rows < 0 || h.Dim < 0 || len(h.Keys) != h.Rows || int64(r.Len()) != 4*int64(h.Rows)*int64(h.Dim) {
		return nil, h, fmt.Errorf("%d rows × %d values, %d keys, %d bytes of data", h.Rows, h.Dim, len(h.Keys), r.Len())
	}
	e := &Embeddings{Model: h.Model, Layer: h.Layer, Keys: h.Keys, Dropped: h.Dropped, Vectors: make([][]float32, h.Rows)}
	switch h.Pooling {
	case "mean":
	case "max":
		e.Pooling = cnn.MaxPooling
	default:
		return nil, h, fmt.Errorf("pooling %q", h.Pooling)
	}
	rest := body[len(body)-r.Len():]
	for i := range e.Vectors {
		v := make([]float32, h.Dim)
		for j := range v {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(rest[4*(i*h.Dim+j):]))
		}
		e.Vectors[i] = v
	}
	return e, h, nil
}
