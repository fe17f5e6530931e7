package fewshot

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/features"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// timeTolerance is how far, in seconds, a row's start may lie from an embedded
// clip's start and still be that clip, and how far a row may end past its
// file's end and still lie inside it.
const timeTolerance = 1e-3

// padOption and minFinalOption name the options that embed a file's final
// part shorter than a clip, padded with silence to a whole clip: the one place
// messages name them, so they follow the options when they change.
const (
	padOption      = "embed.Options.Final = audio.FinalPad (the default)"
	minFinalOption = "embed.Options.MinFinalSeconds"
)

// formatSeconds writes a time rounded to the millisecond, without trailing zeros.
func formatSeconds(seconds float64) string {
	return strconv.FormatFloat(math.Round(seconds*1000)/1000, 'f', -1, 64)
}

// streamSeconds returns the length in seconds of the audio r holds: from its
// header when it announces its frames, else by decoding it.
func streamSeconds(r io.Reader, name string) (float64, error) {
	s, err := audio.NewStream(r, name)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	if d := s.Format().DurationSeconds(); d >= 0 {
		return d, nil
	}
	a, err := audio.ReadAll(s)
	if err != nil {
		return 0, err
	}
	return a.DurationSeconds(), nil
}

// fileSeconds is streamSeconds of the file at path.
func fileSeconds(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return streamSeconds(f, path)
}

// AllRows returns 0, 1, …, len(labels.Rows)−1: every row of a table.
func AllRows(labels *dataset.LabelTable) []int {
	rows := make([]int, len(labels.Rows))
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// EmbedRows embeds the clips of the given rows (every row when nil) of a label
// table whose files lie under dir (dataset.ResolveFile: relative to dir, or
// absolute), with embed.EmbedFiles (so o.CacheDir caches each file on its
// own). Files are passed as absolute paths, which makes the cache independent
// of the working directory; the returned keys name the files as the table
// does, in canonical form (dataset.CanonicalFile). Each row must start where
// one of the model's clips of its file starts (e.g. rows of whole 3 s
// recordings for a 3 s model); otherwise the error names the row and gives
// the file's length (and, for a row past the file's end whose final part gave
// no clip, the option that would embed it: o.Final, o.MinFinalSeconds). A row
// that ends past its file's end matches only the file's final clip, padded
// by default (audio.FinalPad): it is embedded, and a note on o.Progress (when
// set) says how much of it is audio.
func EmbedRows(model zoo.Model, dir string, labels *dataset.LabelTable, rows []int, o embed.Options) (*embed.Embeddings, error) {
	if rows == nil {
		rows = AllRows(labels)
	}
	var paths []string
	seen := map[string]bool{}
	for _, r := range rows {
		if r < 0 || r >= len(labels.Rows) {
			return nil, fmt.Errorf("%w: row %d outside the table's %d rows", ErrInput, r, len(labels.Rows))
		}
		path, err := filepath.Abs(dataset.ResolveFile(dir, labels.Rows[r].File))
		if err != nil {
			return nil, fmt.Errorf("fewshot: %w", err)
		}
		if !seen[path] {
			seen[path] = true
			paths = append(paths, path)
		}
	}
	all, err := embed.EmbedFiles(model, paths, o)
	if err != nil {
		return nil, err
	}
	if err := all.FailuresError(); err != nil { // every row needs its file
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	byFile := map[string][]int{}
	for i, k := range all.Keys {
		byFile[k.File] = append(byFile[k.File], i)
	}
	out := &embed.Embeddings{Model: all.Model, Layer: all.Layer, Pooling: all.Pooling}
	seconds := map[string]float64{} // file lengths, read when needed
	for _, r := range rows {
		row := labels.Rows[r]
		path, _ := filepath.Abs(dataset.ResolveFile(dir, row.File))
		found := -1
		for _, i := range byFile[path] {
			if math.Abs(all.Keys[i].StartSeconds-row.StartSeconds) < timeTolerance {
				found = i
				break
			}
		}
		if found < 0 {
			return nil, noClip(model.Info(), o, r, row, path)
		}
		if o.Final != audio.FinalDrop && o.Progress != nil && found == byFile[path][len(byFile[path])-1] {
			// The file's last clip may be a padded final part: say when the row ends past the file's end.
			if _, ok := seconds[path]; !ok {
				seconds[path], _ = fileSeconds(path) // an unreadable file was embedded above, so this is not expected to fail
			}
			if end := seconds[path]; end > 0 && row.EndSeconds > end+timeTolerance {
				how := "padded with silence to a whole clip"
				if o.Final == audio.FinalRemainder {
					how = "kept as a shorter clip"
				}
				fmt.Fprintf(o.Progress, "fewshot: row %d (%s, %g–%g s) ends %s s past the end of %s (%s s long): its clip holds %s s of audio, %s (embed.Options.Final)\n",
					r, row.File, row.StartSeconds, row.EndSeconds, formatSeconds(row.EndSeconds-end), row.File, formatSeconds(end), formatSeconds(max(0, end-row.StartSeconds)), how)
			}
		}
		k := all.Keys[found]
		k.File = dataset.CanonicalFile(row.File)
		out.Keys = append(out.Keys, k)
		out.Vectors = append(out.Vectors, all.Vectors[found])
	}
	return out, nil
}

// noClip is the error for row r, which matches no embedded clip of its file
// (at path): it names the row, the file's length and why — off the clips'
// grid, after the file's end, or ending past it where the file's final part
// gave no clip (dropped by o.Final, or shorter than o.MinFinalSeconds).
func noClip(info zoo.Info, o embed.Options, r int, row dataset.Row, path string) error {
	head := fmt.Sprintf("row %d (%s, %g–%g s) matches no clip of %s's %g s clips", r, row.File, row.StartSeconds, row.EndSeconds, info.Name, info.ClipSeconds)
	end, err := fileSeconds(path)
	if err != nil {
		return fmt.Errorf("%w: %s (and its length is unknown: %v)", ErrInput, head, err)
	}
	length := fmt.Sprintf("%s is %s s long", row.File, formatSeconds(end))
	hop := info.ClipSeconds - o.OverlapSeconds
	onGrid := hop > 0 && math.Abs(row.StartSeconds/hop-math.Round(row.StartSeconds/hop))*hop < timeTolerance
	switch {
	case row.StartSeconds >= end-timeTolerance:
		return fmt.Errorf("%w: %s: it starts after the end of the file (%s)", ErrInput, head, length)
	case row.EndSeconds > end+timeTolerance && onGrid && o.Final == audio.FinalDrop:
		return fmt.Errorf("%w: %s: it ends past the end of the file (%s), whose final part is dropped (embed.Options.Final = audio.FinalDrop); to embed it, padded with silence to a whole clip, set %s",
			ErrInput, head, length, padOption)
	case row.EndSeconds > end+timeTolerance && onGrid:
		minFinal := o.MinFinalSeconds // as audio.SplitOptions fills it in
		if minFinal == 0 {
			minFinal = audio.DefaultMinFinalFraction * info.ClipSeconds
		}
		part := end - row.StartSeconds
		return fmt.Errorf("%w: %s: it ends past the end of the file (%s), and its final part of %s s is shorter than the shortest final part embedded, %s s (%s, a third of a clip by default); to embed it as a zero-padded final clip, set %s to at most %s (negative: any length)",
			ErrInput, head, length, formatSeconds(part), formatSeconds(minFinal), minFinalOption, minFinalOption, formatSeconds(math.Floor(part*1000)/1000))
	}
	return fmt.Errorf("%w: %s: %s, and clips start every %g s (%g s overlap), so a row must start at a multiple of that",
		ErrInput, head, length, hop, o.OverlapSeconds)
}

// Handcrafted describes the clips of the given rows (every row when nil) of a
// label table whose files lie under dir (dataset.ResolveFile) with features.Describe (each row's
// span of its file, mixed to mono), and returns the feature names
// (Description.Names) and one vector per row, in order. With cacheDir set,
// each clip's vector is cached there, keyed by a SHA-256 of the file's bytes,
// the clip's times and the options: a re-run reads it back, a changed file or
// option recomputes it. A row that ends past its file's end is an error
// naming the file's length: its features would describe only the part that
// exists, as if it were the whole row. Clips are described in parallel, one per CPU.
func Handcrafted(dir string, labels *dataset.LabelTable, rows []int, o features.Options, cacheDir string) (names []string, vectors [][]float32, err error) {
	if rows == nil {
		rows = AllRows(labels)
	}
	optionsJSON, err := json.Marshal(o)
	if err != nil {
		return nil, nil, fmt.Errorf("fewshot: %w", err)
	}
	if cacheDir != "" {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("fewshot: cache: %w", err)
		}
	}
	vectors = make([][]float32, len(rows))
	rowNames := make([][]string, len(rows))
	errs := make([]error, len(rows))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rowNames[i], vectors[i], errs[i] = describeRow(dir, labels, rows[i], o, optionsJSON, cacheDir)
			}
		}()
	}
	for i := range rows {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, nil, err
		}
		if names == nil {
			names = rowNames[i]
		}
	}
	return names, vectors, nil
}

// cachedFeatures is one clip's entry in Handcrafted's cache. It carries its
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
func describeRow(dir string, labels *dataset.LabelTable, r int, o features.Options, optionsJSON []byte, cacheDir string) ([]string, []float32, error) {
	if r < 0 || r >= len(labels.Rows) {
		return nil, nil, fmt.Errorf("%w: row %d outside the table's %d rows", ErrInput, r, len(labels.Rows))
	}
	row := labels.Rows[r]
	path := dataset.ResolveFile(dir, row.File)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("fewshot: row %d: %w", r, err)
	}
	end, err := streamSeconds(bytes.NewReader(data), path)
	if err != nil {
		return nil, nil, fmt.Errorf("fewshot: row %d: %w", r, err)
	}
	if row.EndSeconds > end+timeTolerance {
		return nil, nil, fmt.Errorf("%w: row %d (%s, %g–%g s) ends past the end of %s, which is %s s long: its features would describe %s s of audio as the row's %g s (correct the row's times, or leave the row out)",
			ErrInput, r, row.File, row.StartSeconds, row.EndSeconds, row.File, formatSeconds(end), formatSeconds(max(0, end-row.StartSeconds)), row.EndSeconds-row.StartSeconds)
	}
	// v2: entries carry their key and a digest; v1 entries (without) are left
	// unread, so they are recomputed.
	h := sha256.New()
	fmt.Fprintf(h, "handcrafted v2\x00%s\x00%g\x00%g\x00", optionsJSON, row.StartSeconds, row.EndSeconds)
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
			fmt.Fprintf(os.Stderr, "fewshot: ignoring damaged cache entry %s (%v); recomputing\n", cacheFile, err)
		}
	}
	a, err := audio.Load(path)
	if err != nil {
		return nil, nil, fmt.Errorf("fewshot: row %d: %w", r, err)
	}
	samples := audio.Trim(a.Mono(), a.SampleRateHz, row.StartSeconds, row.EndSeconds)
	d, err := features.Describe(samples, a.SampleRateHz, o)
	if err != nil {
		return nil, nil, fmt.Errorf("fewshot: row %d, %s %g–%g s: %w", r, path, row.StartSeconds, row.EndSeconds, err)
	}
	names := d.Names()
	vector := make([]float32, 0, len(names))
	for j, v := range d.Vector() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("fewshot: row %d, %s: feature %s is %v", r, path, names[j], v)
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
			return nil, nil, fmt.Errorf("fewshot: cache: %w", err)
		}
	}
	return names, vector, nil
}
