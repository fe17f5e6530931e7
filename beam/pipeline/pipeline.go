// Package pipeline is dawnchorus' embedding of an archive as an Apache Beam
// pipeline (Go SDK), for archives too large for one machine: Perch's
// embed.py idea — a DoFn that embeds — on an existing distributed engine,
// run locally on Prism or on Flink, Spark or Google Cloud Dataflow through
// Beam's portable runners.
//
// The stages, each a DoFn over the elements of beam/shards:
//
//	input files ─▶ plan (one file ─▶ its shards)     ─┬─▶ failures ─┐
//	            ─▶ reshuffle (spread shards over workers)│           │
//	            ─▶ embed (one shard ─▶ its .npy + .json) ┴─▶ done ───┴─▶ manifest.json
//
// plan reads a file's digest and header and cuts it into shards
// (shards.PlanFile); embed skips a shard whose files are already written
// (shards.Finished) and otherwise decodes, embeds and writes it (shards.EmbedShard,
// shards.Write: atomic files); a file or shard that fails goes to the failure
// output as a shards.Failure and never fails the pipeline; the manifest stage
// groups everything under one key and writes the manifest. Loading into the
// embedding database, or merging into one .npy + keys pair, happens after the
// run, on one machine (shards.Load, shards.Merge).
//
// Workers run the pure-Go engine (lib/backend without cgo): the worker is one
// static binary, which Beam's Go SDK cross-compiles with CGO_ENABLED=0 for
// cluster runners.
package pipeline

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/dawnchorus/dawnchorus/beam/shards"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// FileRef is an input file and its position in the input list.
type FileRef struct {
	Index int
	Path  string
}

func init() {
	beam.RegisterType(reflect.TypeOf((*FileRef)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*shards.Shard)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*shards.Failure)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*shards.Done)(nil)).Elem())
	register.DoFn4x1[context.Context, FileRef, func(shards.Shard), func(shards.Failure), error](&planFn{})
	register.DoFn4x1[context.Context, shards.Shard, func(shards.Done), func(shards.Failure), error](&embedFn{})
	register.DoFn4x1[context.Context, int, func(*shards.Done) bool, func(*shards.Failure) bool, error](&manifestFn{})
	register.Emitter1[shards.Shard]()
	register.Emitter1[shards.Done]()
	register.Emitter1[shards.Failure]()
	register.Iter1[shards.Done]()
	register.Iter1[shards.Failure]()
}

// Counters the pipeline reports (beam metrics, namespace "dawnchorus").
var (
	shardsComputed = beam.NewCounter("dawnchorus", "shards_computed")
	shardsSkipped  = beam.NewCounter("dawnchorus", "shards_skipped")
	clipsEmbedded  = beam.NewCounter("dawnchorus", "clips_embedded")
	failures       = beam.NewCounter("dawnchorus", "failures")
)

// Config is what the pipeline's stages need: the output folder (on a file
// system every worker sees), the resolved settings, and the input files.
type Config struct {
	Out      string
	Settings shards.Resolved
	Files    []string
}

// Resolve checks settings against the model they name (loaded from lib/zoo
// on the launching machine) and fills in their defaults.
func Resolve(s shards.Settings) (shards.Resolved, error) {
	model, err := zoo.Load(s.Model)
	if err != nil {
		return shards.Resolved{}, err
	}
	return shards.Resolve(s, model.Info())
}

// Build adds the pipeline to s: the stages of the package doc over
// cfg.Files. It returns the done shards and the failures, for tests and
// callers that want more than the manifest.
func Build(s beam.Scope, cfg Config) (done, failed beam.PCollection) {
	refs := make([]FileRef, len(cfg.Files))
	for i, f := range cfg.Files {
		refs[i] = FileRef{Index: i, Path: f}
	}
	files := beam.CreateList(s.Scope("files"), refs)
	planned, planFailed := beam.ParDo2(s.Scope("plan"), &planFn{Settings: cfg.Settings}, files)
	spread := beam.Reshuffle(s.Scope("spread"), planned)
	done, embedFailed := beam.ParDo2(s.Scope("embed"), &embedFn{Out: cfg.Out, Settings: cfg.Settings}, spread)
	failed = beam.Flatten(s.Scope("failures"), planFailed, embedFailed)
	m := s.Scope("manifest")
	grouped := beam.CoGroupByKey(m, beam.AddFixedKey(m, done), beam.AddFixedKey(m, failed))
	beam.ParDo0(m, &manifestFn{Out: cfg.Out, Settings: cfg.Settings, Files: cfg.Files}, grouped)
	return done, failed
}

// planFn cuts a file into shards; a file it cannot read is a failure.
type planFn struct {
	Settings shards.Resolved
}

func (f *planFn) ProcessElement(ctx context.Context, ref FileRef, emit func(shards.Shard), fail func(shards.Failure)) error {
	planned, err := shards.PlanFile(f.Settings, ref.Path, ref.Index)
	if err != nil {
		failures.Inc(ctx, 1)
		fail(shards.Failure{File: ref.Path, FileIndex: ref.Index, Shard: -1, Error: err.Error()})
		return nil
	}
	for _, s := range planned {
		emit(s)
	}
	return nil
}

// embedFn embeds a shard, or finds it done; a shard it cannot embed or write
// is a failure. Its model is loaded once per DoFn instance, in Setup.
type embedFn struct {
	Out      string
	Settings shards.Resolved

	model zoo.Model
}

// The model of a worker process, shared by its DoFn instances (Prism runs up
// to 8 bundles at once), and the lock that lets one shard at a time use it:
// the engine already spreads one batch over every core, and 8 copies of the
// model, each compiling its graph and competing for the cores, made a
// 2-core worker 2–3 times slower than one (RESULTS.md).
var (
	workerMu    sync.Mutex
	workerModel = map[string]zoo.Model{}
	embedMu     sync.Mutex
)

func loadShared(name string) (zoo.Model, error) {
	workerMu.Lock()
	defer workerMu.Unlock()
	if m, ok := workerModel[name]; ok {
		return m, nil
	}
	m, err := zoo.Load(name)
	if err != nil {
		return nil, err
	}
	workerModel[name] = m
	return m, nil
}

func (f *embedFn) Setup() error {
	m, err := loadShared(f.Settings.Model)
	if err != nil {
		return fmt.Errorf("embed stage: %w", err)
	}
	if err := shards.CheckEngine(f.Settings); err != nil {
		return fmt.Errorf("embed stage: %w", err)
	}
	if d := m.Info().Digest; d != f.Settings.Digest {
		return fmt.Errorf("embed stage: model %s on this worker has weights %.12s, the pipeline was planned with %.12s", f.Settings.Model, d, f.Settings.Digest)
	}
	f.model = m
	return nil
}

func (f *embedFn) ProcessElement(ctx context.Context, s shards.Shard, emit func(shards.Done), fail func(shards.Failure)) error {
	failWith := func(err error) error {
		failures.Inc(ctx, 1)
		fail(shards.Failure{File: s.File, FileIndex: s.FileIndex, Shard: s.Index, Error: err.Error()})
		return nil
	}
	rec, ok, err := shards.Finished(f.Out, s)
	if err == nil && ok {
		shardsSkipped.Inc(ctx, 1)
		emit(shards.Done{Shard: s, Rows: rec.Rows})
		return nil
	}
	// A damaged or mismatched pair (err != nil) is computed again and overwritten.
	embedMu.Lock()
	e, err := shards.EmbedShard(f.model, f.Settings, s)
	embedMu.Unlock()
	if err != nil {
		return failWith(err)
	}
	if _, err := shards.Write(f.Out, s, e); err != nil {
		return failWith(err)
	}
	shardsComputed.Inc(ctx, 1)
	clipsEmbedded.Inc(ctx, int64(e.Len()))
	emit(shards.Done{Shard: s, Rows: e.Len(), Computed: true})
	return nil
}

// manifestFn writes the manifest from everything done and failed (one key).
type manifestFn struct {
	Out      string
	Settings shards.Resolved
	Files    []string
}

func (f *manifestFn) ProcessElement(ctx context.Context, _ int, doneIter func(*shards.Done) bool, failIter func(*shards.Failure) bool) error {
	var done []shards.Done
	var d shards.Done
	for doneIter(&d) {
		done = append(done, d)
	}
	var failed []shards.Failure
	var x shards.Failure
	for failIter(&x) {
		failed = append(failed, x)
	}
	return shards.WriteManifest(f.Out, shards.BuildManifest(f.Settings, f.Files, done, failed))
}
