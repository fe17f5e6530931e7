package pipeline_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/dawnchorus/dawnchorus/beam/internal/archivetest"
	"github.com/dawnchorus/dawnchorus/beam/pipeline"
	"github.com/dawnchorus/dawnchorus/beam/shards"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// testShardSeconds cuts the test archive into shards of 2 clips.
const testShardSeconds = 7

// archive is the test archive and embed.EmbedFiles' result on it (the
// single-machine reference), made once for every test of the package.
type archive struct {
	dir        string
	paths, bad []string
	settings   shards.Resolved
	want       *embed.Embeddings
}

var (
	theArchive archive
	archiveErr error
	archiveOne sync.Once
)

func testArchive(t *testing.T) archive {
	t.Helper()
	archiveOne.Do(func() {
		a := archive{dir: sharedDir}
		a.paths, a.bad = archivetest.Write(t, filepath.Join(a.dir, "archive"), 1)
		if a.settings, archiveErr = pipeline.Resolve(shards.Settings{Model: zoo.BirdsV1, ShardSeconds: testShardSeconds}); archiveErr != nil {
			return
		}
		a.want, archiveErr = embed.EmbedFiles(zoo.MustLoad(zoo.BirdsV1), a.paths, a.settings.Options())
		if archiveErr == nil {
			a.want = archivetest.AsPipeline(a.want)
		}
		theArchive = a
	})
	if archiveErr != nil {
		t.Fatal(archiveErr)
	}
	return theArchive
}

// TestPrismInProcess runs the pipeline on Prism in this process (loopback
// workers): the merged embeddings are EmbedFiles' bit for bit, the two bad
// files land in the failure output (the manifest's failures, each error
// naming its file) while every other file completes, and a second run
// computes no shard.
func TestPrismInProcess(t *testing.T) {
	a := testArchive(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := pipeline.Config{Out: out, Settings: a.settings, Files: a.paths}
	p, s := beam.NewPipelineWithRoot()
	pipeline.Build(s, cfg)
	if _, err := prism.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	got, m, err := shards.Merge(out)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, a, got, m)
	if m.Computed == 0 || m.Skipped != 0 {
		t.Errorf("first run: %d shards computed, %d skipped", m.Computed, m.Skipped)
	}

	p, s = beam.NewPipelineWithRoot()
	pipeline.Build(s, cfg)
	if _, err := prism.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	got2, m2, err := shards.Merge(out)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, a, got2, m2)
	if m2.Computed != 0 || m2.Skipped != m.Computed+m.Skipped {
		t.Errorf("second run: %d shards computed, %d skipped; want 0, %d", m2.Computed, m2.Skipped, m.Computed+m.Skipped)
	}
}

// checkRun compares a run's merged result with EmbedFiles' and checks its
// failures.
func checkRun(t *testing.T, a archive, got *embed.Embeddings, m shards.Manifest) {
	t.Helper()
	archivetest.Same(t, got, a.want)
	var failedFiles []string
	for _, f := range got.Failures {
		failedFiles = append(failedFiles, f.Path)
	}
	if !slices.Equal(failedFiles, a.bad) {
		t.Errorf("incomplete files %v, want %v", failedFiles, a.bad)
	}
	failing := map[string]bool{}
	for _, f := range m.Failures {
		failing[f.File] = true
		if !strings.Contains(f.Error, f.File) {
			t.Errorf("failure %q does not name its file", f.Error)
		}
	}
	for _, b := range a.bad {
		if !failing[b] {
			t.Errorf("%s is not in the failure output %+v", b, m.Failures)
		}
	}
	if len(failing) != len(a.bad) {
		t.Errorf("failures %+v, want only %v", m.Failures, a.bad)
	}
}
