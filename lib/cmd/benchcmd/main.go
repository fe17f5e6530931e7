// Command benchcmd measures what the dawnchorus command's embed costs beyond
// the model: it embeds a folder of long recordings with the command's
// pipeline (lib/archive: decoding workers, resampling, windowing, batching
// across files, one transaction per recording into a fresh embedding
// database, the index built at the end as Close does) and compares its rate,
// in hours of audio per hour, with the library's in-memory rate on the same
// windows (embed.Embed over clips already decoded, resampled and cut, so only
// the model runs). The overhead is 1 − pipeline rate / in-memory rate; the
// target is under 20 %. A third row times decoding, resampling and windowing
// alone (audio.SplitFile, one thread), the work the pipeline adds.
//
//	go run ./lib/cmd/benchcmd                       # 6 recordings of 10 min
//	go run ./lib/cmd/benchcmd -files 2 -minutes 5   # quicker
//
// The recordings are lib/synth soundscapes at 32 kHz by default (-rate; the
// in-memory windows are resampled to the model's 22.05 kHz before the clock
// starts, the pipeline resamples as it decodes) written as 16-bit WAV; each mode runs -runs times,
// alternating, and the medians are printed with the commit and load.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/runrecord"
	"github.com/dawnchorus/dawnchorus/lib/synth"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

func main() {
	files := flag.Int("files", 6, "recordings")
	minutes := flag.Float64("minutes", 10, "length of each recording, minutes")
	runs := flag.Int("runs", 3, "runs of each mode")
	modelName := flag.String("model", zoo.BirdsV1, "feature extractor")
	rate := flag.Int("rate", 32000, "the recordings' sample rate, Hz (22050: birds-v1's, no resampling)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "benchcmd")
	check(err)
	defer os.RemoveAll(dir)
	cat, err := synth.NewCatalogue(5, 4, 3)
	check(err)
	var paths []string
	for i := range *files {
		rec, err := cat.Record(uint64(i+1), synth.RecordingOptions{DurationSeconds: *minutes * 60, SampleRateHz: *rate,
			Foreground: []synth.Voice{{Species: i % len(cat.Species)}}, SNRdB: 10})
		check(err)
		p := filepath.Join(dir, "archive", fmt.Sprintf("site%d", i%2), fmt.Sprintf("rec%02d.wav", i))
		check(os.MkdirAll(filepath.Dir(p), 0o755))
		check(audio.WriteWAV(p, [][]float32{rec.Samples}, *rate, audio.WAV16))
		paths = append(paths, p)
	}
	model, err := zoo.Load(*modelName)
	check(err)
	info := model.Info()
	o := embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: 32}}

	// The in-memory windows: decoded, resampled and cut before the clock starts.
	var clips []audio.Clip
	for _, p := range paths {
		check(audio.SplitFile(p, archive.SplitOptions(info, o), func(c audio.Clip) error {
			clips = append(clips, c)
			return nil
		}))
	}
	audioHours := float64(*files) * *minutes / 60
	fmt.Printf("benchcmd: %d recordings × %g min at %d Hz (%.2f h of audio, %d windows of %g s), model %s, GOMAXPROCS %d\n",
		*files, *minutes, *rate, audioHours, len(clips), info.ClipSeconds, info.Name, runtime.GOMAXPROCS(0))
	fmt.Printf("commit %s, %s UTC, load average at the start %s\n\n", runrecord.GitCommit(), time.Now().UTC().Format("2006-01-02 15:04"), runrecord.LoadAverages())
	// Warm up: the model's graph is compiled for the batch size once.
	_, err = embed.Embed(model, clips[:32], o)
	check(err)

	var inMemory, pipeline, decoding []float64
	for r := range *runs {
		start0 := time.Now()
		n := 0
		for _, p := range paths {
			check(audio.SplitFile(p, archive.SplitOptions(info, o), func(c audio.Clip) error { n++; return nil }))
		}
		decoding = append(decoding, audioHours/time.Since(start0).Hours())

		start := time.Now()
		e, err := embed.Embed(model, clips, o)
		check(err)
		if e.Len() != len(clips) {
			panic("short embedding")
		}
		inMemory = append(inMemory, audioHours/time.Since(start).Hours())

		dbPath := filepath.Join(dir, fmt.Sprintf("run%d.db", r))
		start = time.Now()
		db, err := embeddb.Open(dbPath, embeddb.Options{IndexLater: true})
		check(err)
		m, err := db.AddModel(info.Name, archive.Settings(info, o), info.EmbeddingSize)
		check(err)
		rep, err := archive.Embed(context.Background(), model, paths, archive.DBSink{DB: db, Model: m}, archive.Options{Embed: o, Hash: true})
		check(err)
		check(db.Close())
		pipeline = append(pipeline, audioHours/time.Since(start).Hours())
		if rep.Windows != len(clips) || rep.Embedded != len(paths) {
			panic(fmt.Sprintf("pipeline: %+v, want %d windows", rep, len(clips)))
		}
		fmt.Printf("run %d: in memory %.0f h/h, pipeline %.0f h/h, decoding alone %.0f h/h (load %s)\n", r+1, inMemory[r], pipeline[r], decoding[r], runrecord.LoadAverages())
	}
	mi, pi := benchkit.Median(inMemory), benchkit.Median(pipeline)
	fmt.Printf("\n| path | hours of audio per hour (median of %d) |\n|---|---|\n", *runs)
	fmt.Printf("| library in memory: embed.Embed on decoded windows | %.0f |\n", mi)
	fmt.Printf("| dawnchorus embed's pipeline: decode, window, embed, database, index | %.0f |\n", pi)
	fmt.Printf("| decoding, resampling and windowing alone, one thread (audio.SplitFile) | %.0f |\n", benchkit.Median(decoding))
	fmt.Printf("\noverhead (1 − pipeline/in memory): %.1f %% (target < 20 %%); load average at the end %s\n", 100*(1-pi/mi), runrecord.LoadAverages())
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchcmd")
