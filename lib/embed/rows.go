package embed

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// padOption and minFinalOption name the options that embed a file's final
// part shorter than a clip, padded with silence to a whole clip: the one place
// messages name them, so they follow the options when they change.
const (
	padOption      = "embed.Options.Final = audio.FinalPad (the default)"
	minFinalOption = "embed.Options.MinFinalSeconds"
)

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
// set) says how much of it is audio. (EmbedTable embeds every row of a table
// with the keys EmbedFiles gives, the paths as dir joins them.)
func EmbedRows(model zoo.Model, dir string, labels *dataset.LabelTable, rows []int, o Options) (*Embeddings, error) {
	if rows == nil {
		rows = labels.AllRows()
	}
	found, err := embedRowClips(model, labels, rows, func(row dataset.Row) (string, error) {
		return filepath.Abs(dataset.ResolveFile(dir, row.File))
	}, o)
	if err != nil {
		return nil, err
	}
	all := found.all
	out := &Embeddings{Model: all.Model, Layer: all.Layer, Pooling: all.Pooling}
	seconds := map[string]float64{} // file lengths, read when needed
	for i, r := range rows {
		row, path, clip := labels.Rows[r], found.paths[i], found.clips[i]
		if clip < 0 {
			return nil, noClip(model.Info(), o, r, row, path)
		}
		// EmbedFiles gives each file's clips together, in time order: the
		// file's last clip is the one the next key leaves for another file.
		lastOfFile := clip+1 == len(all.Keys) || all.Keys[clip+1].File != path
		if o.Final != audio.FinalDrop && o.Progress != nil && lastOfFile {
			// The file's last clip may be a padded final part: say when the row ends past the file's end.
			if _, ok := seconds[path]; !ok {
				seconds[path], _ = audio.FileSeconds(path) // an unreadable file was embedded above, so this is not expected to fail
			}
			if end := seconds[path]; end > 0 && row.EndSeconds > end+dataset.RowTolerance {
				how := "padded with silence to a whole clip"
				if o.Final == audio.FinalRemainder {
					how = "kept as a shorter clip"
				}
				fmt.Fprintf(o.Progress, "embed: row %d (%s, %g–%g s) ends %s s past the end of %s (%s s long): its clip holds %s s of audio, %s (embed.Options.Final)\n",
					r, row.File, row.StartSeconds, row.EndSeconds, dataset.FormatSeconds(row.EndSeconds-end), row.File, dataset.FormatSeconds(end), dataset.FormatSeconds(max(0, end-row.StartSeconds)), how)
			}
		}
		k := all.Keys[clip]
		k.File = dataset.CanonicalFile(row.File)
		out.Keys = append(out.Keys, k)
		out.Vectors = append(out.Vectors, all.Vectors[clip])
	}
	return out, nil
}

// rowClips is what EmbedRows and EmbedTable share: every clip of the files of
// some rows of a label table, and each row's clip among them.
type rowClips struct {
	// all holds the clips of every file, keyed by the path it was read from.
	all *Embeddings
	// paths[i] and clips[i] are the path of row i's file and the index in all
	// of its clip (-1 when no clip of the file starts at the row's start).
	paths []string
	clips []int
}

// embedRowClips embeds the files of the given rows of t (pathOf says where each
// row's file is read from), each file once, in the order the rows first name
// them, with EmbedFiles and o; a file that cannot be read is an error. A row's
// clip is the first of its file (in time) that starts within dataset.RowTolerance of
// the row's start.
func embedRowClips(model zoo.Model, t *dataset.LabelTable, rows []int, pathOf func(dataset.Row) (string, error), o Options) (rowClips, error) {
	found := rowClips{paths: make([]string, len(rows)), clips: make([]int, len(rows))}
	var files []string
	seen := map[string]bool{}
	for i, r := range rows {
		if r < 0 || r >= len(t.Rows) {
			return rowClips{}, fmt.Errorf("embed: row %d outside the table's %d rows", r, len(t.Rows))
		}
		path, err := pathOf(t.Rows[r])
		if err != nil {
			return rowClips{}, fmt.Errorf("embed: %w", err)
		}
		found.paths[i] = path
		if !seen[path] {
			seen[path] = true
			files = append(files, path)
		}
	}
	all, err := EmbedFiles(model, files, o)
	if err != nil {
		return rowClips{}, err
	}
	if err := all.FailuresError(); err != nil { // every row needs its file
		return rowClips{}, err
	}
	found.all = all
	byFile := map[string][]int{} // each file's clips, in time order (EmbedFiles' order)
	for j, k := range all.Keys {
		byFile[k.File] = append(byFile[k.File], j)
	}
	for i, r := range rows {
		clips, start := byFile[found.paths[i]], t.Rows[r].StartSeconds
		// The first clip that does not start dataset.RowTolerance or more before the row.
		n := sort.Search(len(clips), func(n int) bool { return all.Keys[clips[n]].StartSeconds > start-dataset.RowTolerance })
		found.clips[i] = -1
		if n < len(clips) && math.Abs(all.Keys[clips[n]].StartSeconds-start) < dataset.RowTolerance {
			found.clips[i] = clips[n]
		}
	}
	return found, nil
}

// noClip is the error for row r, which matches no embedded clip of its file
// (at path): it names the row, the file's length and why — off the clips'
// grid, after the file's end, or ending past it where the file's final part
// gave no clip (dropped by o.Final, or shorter than o.MinFinalSeconds).
func noClip(info zoo.Info, o Options, r int, row dataset.Row, path string) error {
	head := fmt.Sprintf("row %d (%s, %g–%g s) matches no clip of %s's %g s clips", r, row.File, row.StartSeconds, row.EndSeconds, info.Name, info.ClipSeconds)
	end, err := audio.FileSeconds(path)
	if err != nil {
		return fmt.Errorf("embed: %s (and its length is unknown: %v)", head, err)
	}
	length := fmt.Sprintf("%s is %s s long", row.File, dataset.FormatSeconds(end))
	hop := info.ClipSeconds - o.OverlapSeconds
	onGrid := hop > 0 && math.Abs(row.StartSeconds/hop-math.Round(row.StartSeconds/hop))*hop < dataset.RowTolerance
	switch {
	case row.StartSeconds >= end-dataset.RowTolerance:
		return fmt.Errorf("embed: %s: it starts after the end of the file (%s)", head, length)
	case row.EndSeconds > end+dataset.RowTolerance && onGrid && o.Final == audio.FinalDrop:
		return fmt.Errorf("embed: %s: it ends past the end of the file (%s), whose final part is dropped (embed.Options.Final = audio.FinalDrop); to embed it, padded with silence to a whole clip, set %s",
			head, length, padOption)
	case row.EndSeconds > end+dataset.RowTolerance && onGrid:
		minFinal := audio.SplitOptions{ClipSeconds: info.ClipSeconds, MinFinalSeconds: o.MinFinalSeconds}.WithDefaults().MinFinalSeconds
		part := end - row.StartSeconds
		return fmt.Errorf("embed: %s: it ends past the end of the file (%s), and its final part of %s s is shorter than the shortest final part embedded, %s s (%s, a third of a clip by default); to embed it as a zero-padded final clip, set %s to at most %s (negative: any length)",
			head, length, dataset.FormatSeconds(part), dataset.FormatSeconds(minFinal), minFinalOption, minFinalOption, dataset.FormatSeconds(math.Floor(part*1000)/1000))
	}
	return fmt.Errorf("embed: %s: %s, and clips start every %g s (%g s overlap), so a row must start at a multiple of that",
		head, length, hop, o.OverlapSeconds)
}

// MustEmbedRows is [EmbedRows] for notebooks: it panics on error.
func MustEmbedRows(model zoo.Model, dir string, labels *dataset.LabelTable, rows []int, o Options) *Embeddings {
	e, err := EmbedRows(model, dir, labels, rows, o)
	if err != nil {
		panic(err)
	}
	return e
}
