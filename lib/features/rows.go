package features

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
)

// MustDescribeRows is DescribeRows that panics on an error, for notebooks.
func MustDescribeRows(dir string, labels *dataset.LabelTable, rows []int, o Options, cacheDir string) (names []string, vectors [][]float32) {
	names, vectors, err := DescribeRows(dir, labels, rows, o, cacheDir)
	if err != nil {
		panic(err)
	}
	return names, vectors
}

// DescribeRows describes the clips of the given rows (every row when nil) of a
// label table whose files lie under dir (dataset.ResolveFile) with Describe (each row's
// span of its file, mixed to mono, at the file's own rate: dataset.LoadClipsNative), and returns the feature names
// (Description.Names) and one vector per row, in order. With cacheDir set,
// each clip's vector is cached there, keyed by a SHA-256 of cacheVersion, the file's bytes,
// the clip's times and the options: a re-run reads it back, a changed file or
// option recomputes it. A row that ends past its file's end (by more than
// dataset.RowTolerance) is an error naming the file's length: its features would
// describe only the part that exists, as if it were the whole row. A row whose end is 0
// describes the rest of its file from the start (the loader's rule, an error before
// 2026-12-07). Clips are described in parallel, one per CPU.
func DescribeRows(dir string, labels *dataset.LabelTable, rows []int, o Options, cacheDir string) (names []string, vectors [][]float32, err error) {
	if rows == nil {
		rows = labels.AllRows()
	}
	optionsJSON, err := json.Marshal(o)
	if err != nil {
		return nil, nil, fmt.Errorf("features: %w", err)
	}
	if cacheDir != "" {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("features: cache: %w", err)
		}
	}
	vectors = make([][]float32, len(rows))
	rowNames := make([][]string, len(rows))
	err = parallel.For(len(rows), runtime.NumCPU(), func(i int) error {
		var err error
		rowNames[i], vectors[i], err = describeRow(dir, labels, rows[i], o, optionsJSON, cacheDir)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(rows) > 0 {
		names = rowNames[0]
	}
	return names, vectors, nil
}

// cacheVersion starts every cache key. The key holds the file, the times and
// the options but not the code, so it must change whenever Describe's values
// change for the same input (TestDescribePinned fails then): entries under an
// older version are never read, so they are recomputed.
//   - v2: entries carry their key and a digest (v1 entries did not).
//   - v3: F0 upsamples with the resample_poly filter of audio.Resample
//     (6145e6c); v2 entries written before it hold the old resampler's F0
//     values (f0_min/mean/max_hz and f0_voiced_fraction: most rows within
//     0.01 Hz, a few per cent of synth-transfer's rows by hundreds of Hz).
const cacheVersion = "handcrafted v3"

// cachedFeatures is one clip's entry in DescribeRows' cache. It carries its
// own key (the hex in its file name) and the SHA-256 of key, names and values,
// so that an entry changed after it was written (one digit edited, a valid
// entry copied under another name, a cut file) is recomputed, never served.
type cachedFeatures struct {
	Key    string    `json:"key"`
	Names  []string  `json:"names"`
	Vector []float32 `json:"vector"`
	SHA256 string    `json:"sha256"`
}

// digest is the SHA-256 of the entry's key, names and values (as float32 bits).
func (c cachedFeatures) digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", c.Key, len(c.Names))
	for _, n := range c.Names {
		fmt.Fprintf(h, "%s\x00", n)
	}
	var b [4]byte
	for _, v := range c.Vector {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readCachedFeatures returns the entry in path written under key, or why it
// cannot be used.
func readCachedFeatures(path, key string) (cachedFeatures, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return cachedFeatures{}, err
	}
	var c cachedFeatures
	switch err := json.Unmarshal(raw, &c); {
	case err != nil:
		return c, fmt.Errorf("not a cache entry: %w", err)
	case c.Key != key:
		return c, fmt.Errorf("holds the entry of key %q, not its own", c.Key)
	case len(c.Vector) == 0 || len(c.Vector) != len(c.Names):
		return c, fmt.Errorf("%d names, %d values", len(c.Names), len(c.Vector))
	case c.SHA256 != c.digest():
		return c, fmt.Errorf("its SHA-256 does not match its values (changed after it was written)")
	}
	return c, nil
}

// describeRow computes (or reads from the cache) the features of one row.
func describeRow(dir string, labels *dataset.LabelTable, r int, o Options, optionsJSON []byte, cacheDir string) ([]string, []float32, error) {
	if r < 0 || r >= len(labels.Rows) {
		return nil, nil, fmt.Errorf("features: row %d outside the table's %d rows", r, len(labels.Rows))
	}
	row := labels.Rows[r]
	path := dataset.ResolveFile(dir, row.File)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("features: %w", err) // The loader names the file and row.
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%g\x00%g\x00", cacheVersion, optionsJSON, row.StartSeconds, row.EndSeconds)
	h.Write(data)
	key := hex.EncodeToString(h.Sum(nil))
	cacheFile := ""
	if cacheDir != "" {
		cacheFile = filepath.Join(cacheDir, "handcrafted-"+key+".json")
		c, err := readCachedFeatures(cacheFile, key)
		if err == nil {
			return c.Names, c.Vector, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "features: ignoring damaged cache entry %s (%v); recomputing\n", cacheFile, err)
		}
	}
	// The file is decoded here, after the cache missed, by the loader every
	// "rows → clips" path shares, at its own rate: a row past the end is an
	// error there, so it is never described, nor cached.
	clips, rates, err := dataset.LoadClipsNative(dir, labels, []int{r})
	if err != nil {
		return nil, nil, fmt.Errorf("features: %w", err) // The loader names the file and row.
	}
	samples, rateHz := clips[0], rates[0]
	d, err := Describe(samples, rateHz, o)
	if err != nil {
		return nil, nil, fmt.Errorf("features: row %d, %s %g–%g s: %w", r, path, row.StartSeconds, row.EndSeconds, err)
	}
	names := d.Names()
	vector := make([]float32, 0, len(names))
	for j, v := range d.Vector() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("features: row %d, %s: feature %s is %v", r, path, names[j], v)
		}
		vector = append(vector, float32(v))
	}
	if cacheFile != "" {
		entry := cachedFeatures{Key: key, Names: names, Vector: vector}
		entry.SHA256 = entry.digest()
		raw, err := json.Marshal(entry)
		if err == nil {
			err = atomicfile.WriteFile(cacheFile, raw)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("features: cache: %w", err)
		}
	}
	return names, vector, nil
}
