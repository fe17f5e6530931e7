// Command dawnchorus-beam embeds an archive of recordings with an Apache Beam
// pipeline (beam/pipeline), on Prism locally or on Flink, Spark or Google
// Cloud Dataflow, and loads the results into an embedding database or merges
// them into one .npy + keys pair. It is the sibling of `dawnchorus embed` for
// archives too large for one machine; both embed the same vectors.
//
//	dawnchorus-beam embed -out OUT [flags] [--runner=… Beam flags] FILE|DIR…
//	dawnchorus-beam load  -out OUT -db archive.db
//	dawnchorus-beam merge -out OUT -to PREFIX
//
// Beam's own flags (--runner, --endpoint, --environment_type, --project,
// --region, --temp_location, --worker_binary, …) are passed through. Exit
// status: 0 all done; 1 some files failed (listed in OUT/manifest.json and on
// standard error); 2 usage; 3 the run itself failed.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/dawnchorus/dawnchorus/beam/pipeline"
	"github.com/dawnchorus/dawnchorus/beam/shards"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

var (
	out          = flag.String("out", "", "output folder for shards and manifest.json, on a file system every worker sees (embed, load, merge)")
	manifestIn   = flag.String("files", "", "a text file listing the recordings to embed, one path a line ('#' starts a comment), besides FILE|DIR arguments (embed)")
	modelName    = flag.String("model", zoo.BirdsV1, "the lib/zoo model (embed)")
	layer        = flag.String("layer", "", "the model layer to read; \"\" is its embedding (embed)")
	pooling      = flag.String("pooling", "mean", "mean or max (embed)")
	batchSize    = flag.Int("batch", 32, "clips per model call (embed)")
	overlap      = flag.Float64("overlap", 0, "seconds consecutive clips share (embed)")
	shardSeconds = flag.Float64("shard-seconds", shards.DefaultShardSeconds, "seconds of sound per shard, the unit of work (embed)")
	engine       = flag.String("engine", "", "the GoMLX engine every worker must run, e.g. purego or xla:cuda [purego] (embed)")
	dbPath       = flag.String("db", "", "embedding database to load the results into (embed: after the run; load)")
	mergeTo      = flag.String("to", "", "merge: write PREFIX.npy and PREFIX.csv (embed: after the run, when set)")
)

const usage = `usage:
  dawnchorus-beam embed -out OUT [-files LIST] [-model birds-v1] [-shard-seconds 60] [-db archive.db] [-to PREFIX]
                        [--runner=prism|universal|flink|spark|dataflow --endpoint=… --environment_type=…] FILE|DIR…
  dawnchorus-beam load  -out OUT -db archive.db
  dawnchorus-beam merge -out OUT -to PREFIX
Exit status: 0 done, 1 some files failed, 2 usage, 3 the run failed.`

func main() {
	// A Beam worker runs this binary with Beam's flags only (--worker …), no
	// subcommand: beam.Init then runs the worker harness and never returns.
	args := os.Args[1:]
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	flag.Usage = func() { fmt.Fprintln(os.Stderr, usage); flag.PrintDefaults() }
	if err := flag.CommandLine.Parse(args); err != nil {
		os.Exit(2)
	}
	beam.Init()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "dawnchorus-beam: -out is required\n"+usage)
		os.Exit(2)
	}
	var code int
	var err error
	switch cmd {
	case "embed":
		code, err = embedCmd(flag.Args())
	case "load":
		code, err = loadCmd()
	case "merge":
		code, err = mergeCmd()
	default:
		fmt.Fprintf(os.Stderr, "dawnchorus-beam: unknown command %q\n%s\n", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dawnchorus-beam:", err)
	}
	os.Exit(code)
}

func embedCmd(args []string) (int, error) {
	files, err := inputFiles(args, *manifestIn)
	if err != nil {
		return 2, err
	}
	if len(files) == 0 {
		return 2, errors.New("no recordings given (FILE|DIR arguments or -files)")
	}
	var pool cnn.Pooling
	switch *pooling {
	case "mean":
		pool = cnn.MeanPooling
	case "max":
		pool = cnn.MaxPooling
	default:
		return 2, fmt.Errorf("-pooling %q: want mean or max", *pooling)
	}
	settings, err := pipeline.Resolve(shards.Settings{Model: *modelName, EmbedOptions: zoo.EmbedOptions{Layer: *layer, Pooling: pool, BatchSize: *batchSize},
		OverlapSeconds: *overlap, ShardSeconds: *shardSeconds, Engine: *engine})
	if err != nil {
		return 2, err
	}
	if err := os.MkdirAll(filepath.Join(*out, shards.Dir), 0o755); err != nil {
		return 3, err
	}
	// What a killed run left: temporary files (never a shard's record), and the
	// last run's manifest, which this run replaces.
	if _, err := shards.RemoveTemporary(*out); err != nil {
		return 3, err
	}
	if err := os.Remove(filepath.Join(*out, shards.ManifestName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 3, err
	}
	fmt.Fprintf(os.Stderr, "dawnchorus-beam: %d recordings, model %s, %d clips per shard, output %s\n", len(files), settings.Model, settings.ClipsPerShard, *out)

	p, s := beam.NewPipelineWithRoot()
	pipeline.Build(s, pipeline.Config{Out: *out, Settings: settings, Files: files})
	if err := beamx.Run(context.Background(), p); err != nil {
		return 3, fmt.Errorf("pipeline: %w", err)
	}
	m, err := shards.ReadManifest(*out)
	if err != nil {
		return 3, fmt.Errorf("the run ended without its manifest: %w", err)
	}
	complete := 0
	for _, f := range m.Files {
		if f.Complete {
			complete++
		}
	}
	fmt.Fprintf(os.Stderr, "dawnchorus-beam: %d of %d recordings complete; shards: %d computed, %d already done; %d failures\n",
		complete, len(m.Files), m.Computed, m.Skipped, len(m.Failures))
	for _, f := range m.Failures {
		fmt.Fprintf(os.Stderr, "dawnchorus-beam: failed: %s\n", f.Error)
	}
	if *dbPath != "" {
		if code, err := loadCmd(); err != nil {
			return code, err
		}
	}
	if *mergeTo != "" {
		if code, err := mergeCmd(); err != nil {
			return code, err
		}
	}
	if len(m.Failures) > 0 || complete < len(m.Files) {
		return 1, nil
	}
	return 0, nil
}

func loadCmd() (int, error) {
	if *dbPath == "" {
		return 2, errors.New("load: -db is required")
	}
	db, err := embeddb.Open(*dbPath, embeddb.Options{IndexLater: true, Notes: os.Stderr})
	if err != nil {
		return 3, err
	}
	st, err := shards.Load(*out, db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 3, err
	}
	fmt.Fprintf(os.Stderr, "dawnchorus-beam: loaded %d recordings (%d windows) into %s; %d were there already; %d incomplete left out\n",
		st.Added, st.Windows, *dbPath, st.Present, st.Incomplete)
	if st.Incomplete > 0 {
		return 1, nil
	}
	return 0, nil
}

func mergeCmd() (int, error) {
	if *mergeTo == "" {
		return 2, errors.New("merge: -to is required")
	}
	e, _, err := shards.Merge(*out)
	if err != nil {
		return 3, err
	}
	if err := e.Save(*mergeTo); err != nil {
		return 3, err
	}
	fmt.Fprintf(os.Stderr, "dawnchorus-beam: wrote %d embeddings to %s.npy and %s.csv; %d recordings left out\n", e.Len(), *mergeTo, *mergeTo, len(e.Failures))
	if len(e.Failures) > 0 {
		return 1, nil
	}
	return 0, nil
}

// audioExts are the extensions a folder is searched for.
var audioExts = []string{".wav", ".flac", ".mp3", ".ogg"}

// inputFiles lists the recordings: files as given, folders searched
// recursively for audio files (sorted), then the -files list's lines.
func inputFiles(args []string, list string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && slices.Contains(audioExts, strings.ToLower(filepath.Ext(p))) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if list != "" {
		f, err := os.Open(list)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			files = append(files, line)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", list, err)
		}
	}
	seen := make(map[string]bool)
	for _, f := range files {
		if seen[f] {
			return nil, fmt.Errorf("%s is listed twice", f)
		}
		seen[f] = true
	}
	return files, nil
}
