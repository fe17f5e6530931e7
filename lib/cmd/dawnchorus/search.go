package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// pickModel chooses the database's model entry: the one with id when id > 0,
// else the only one named name, else the only one.
func pickModel(db *embeddb.DB, name string, id int64) (embeddb.Model, error) {
	models, err := db.Models()
	if err != nil {
		return embeddb.Model{}, err
	}
	var found []embeddb.Model
	for _, m := range models {
		if (id > 0 && m.ID == id) || (id <= 0 && (name == "" || m.Name == name)) {
			found = append(found, m)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	var list []string
	for _, m := range models {
		list = append(list, fmt.Sprintf("  -model-id %d: %s %s", m.ID, m.Name, m.Settings))
	}
	if len(models) == 0 {
		return embeddb.Model{}, fmt.Errorf("%s holds no embeddings: run 'dawnchorus embed FOLDER' first", db.Path())
	}
	if len(found) == 0 {
		return embeddb.Model{}, fmt.Errorf("%s has no embeddings of model %q (id %d); it has:\n%s", db.Path(), name, id, strings.Join(list, "\n"))
	}
	return embeddb.Model{}, fmt.Errorf("%s has embeddings of %s with several settings; choose one:\n%s", db.Path(), name, strings.Join(list, "\n"))
}

// queryVector embeds the query: the span [start, end) of a file when end > 0,
// else the whole file. A query longer than the model's clip is cut into its
// windows and their unit vectors averaged.
func queryVector(model zoo.Model, o embed.Options, file string, start, end float64) ([]float32, error) {
	info := model.Info()
	a, err := audio.Load(file)
	if err != nil {
		return nil, err
	}
	mono := a.Mono()
	if end > 0 || start > 0 {
		if end <= 0 {
			end = a.DurationSeconds()
		}
		if !(end > start) || start >= a.DurationSeconds() {
			return nil, fmt.Errorf("%s: span %g–%g s outside the file's %g s", file, start, end, a.DurationSeconds())
		}
		mono = audio.Trim(mono, a.SampleRateHz, start, end)
	}
	split := archive.SplitOptions(info, o)
	split.SampleRateHz = 0 // Embed resamples
	split.Final, split.MinFinalSeconds = audio.FinalPad, -1
	clips, err := audio.Split(mono, a.SampleRateHz, file, split)
	if err != nil {
		return nil, err
	}
	if len(clips) == 0 {
		return nil, fmt.Errorf("%s: no sound to search with", file)
	}
	e, err := embed.Embed(model, clips, o)
	if err != nil {
		return nil, err
	}
	mean := make([]float32, e.Dim())
	for _, v := range e.Vectors {
		norm := 0.0
		for _, x := range v {
			norm += float64(x) * float64(x)
		}
		if norm == 0 {
			continue
		}
		for j, x := range v {
			mean[j] += float32(float64(x) / math.Sqrt(norm) / float64(len(e.Vectors)))
		}
	}
	return mean, nil
}

func runSearch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "search", "[flags] QUERY.wav   (a recording, or -start/-end for a span of it)")
	dbPath := fs.String("db", defaultDB, "the embedding database")
	name := fs.String("model", "", "the model whose windows to search, by name or external config file (default: the database's only one)")
	modelID := fs.Int64("model-id", 0, "the database's model entry, when a model was embedded with several settings")
	k := fs.Int("k", 10, "number of hits")
	start := fs.Float64("start", 0, "start of the query's span in the file, seconds")
	end := fs.Float64("end", 0, "end of the query's span, seconds (0: the end of the file)")
	clipsDir := fs.String("clips", "", "write each hit as a WAV clip into this folder")
	csvPath := fs.String("csv", "", "also write the hits to this CSV (file,start_time,end_time,score,rank,clip), for 'dawnchorus label'")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageErr(e, fs, "give one query file")
	}
	if *k <= 0 {
		return usageErr(e, fs, "-k %d: want at least 1", *k)
	}
	db, m, model, settings, err := openModel(e, *dbPath, *name, *modelID)
	if err != nil {
		return fail(e, "search", err)
	}
	defer db.Close()
	o, err := archive.OptionsFromSettings(settings)
	if err != nil {
		return fail(e, "search", err)
	}
	q, err := queryVector(model, o, fs.Arg(0), *start, *end)
	if err != nil {
		return fail(e, "search", err)
	}
	hits, err := db.Search(m, q, *k)
	if err != nil {
		return fail(e, "search", err)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tscore\tfile\tstart_s\tend_s\tclip")
	var clipErrs []error
	table := [][]string{{"file", "start_time", "end_time", "score", "rank", "clip"}}
	for i, h := range hits {
		clip := ""
		if *clipsDir != "" {
			clip = filepath.Join(*clipsDir, fmt.Sprintf("%02d_%.3f_%s_%.2f-%.2f.wav", i+1, h.Score,
				strings.TrimSuffix(filepath.Base(h.File), filepath.Ext(h.File)), h.StartSeconds, h.EndSeconds))
			if err := cutClip(h.File, h.StartSeconds, h.EndSeconds, clip); err != nil {
				clipErrs = append(clipErrs, err)
				e.errLog.add(h.File, err)
				clip = "-"
			}
		}
		fmt.Fprintf(tw, "%d\t%.4f\t%s\t%.2f\t%.2f\t%s\n", i+1, h.Score, h.File, h.StartSeconds, h.EndSeconds, clip)
		table = append(table, []string{h.File, formatSeconds(h.StartSeconds), formatSeconds(h.EndSeconds),
			fmt.Sprintf("%.4f", h.Score), fmt.Sprint(i + 1), clip})
	}
	tw.Flush()
	if *csvPath != "" {
		if err := writeCSV(*csvPath, table); err != nil {
			return fail(e, "search", err)
		}
	}
	if len(clipErrs) > 0 {
		return exitSomeFailed
	}
	return exitOK
}

// cutClip writes the span [start, end) of file (mono, at the file's rate) to out.
func cutClip(file string, start, end float64, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	a, err := audio.Load(file)
	if err != nil {
		return err
	}
	samples := audio.Trim(a.Mono(), a.SampleRateHz, start, end)
	if len(samples) == 0 {
		return fmt.Errorf("%s: span %g–%g s is past the end of the file", file, start, end)
	}
	return audio.WriteWAV(out, [][]float32{samples}, a.SampleRateHz, audio.WAV16)
}
