package shards_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dawnchorus/dawnchorus/beam/shards"
)

// TestManifestIndependentOfArrivalOrder: the pipeline's done shards and
// failures reach BuildManifest in whatever order the runner finishes them;
// the manifest (and with it Load's and Merge's order: its files in input
// order, each file's shards by index) is the same, byte for byte, for every
// order. Seeded shuffles of 5 files of 1–4 shards, one shard failed.
func TestManifestIndependentOfArrivalOrder(t *testing.T) {
	files := []string{"b/2.wav", "a/1.wav", "c/3.flac", "a/0.wav", "d/4.wav"}
	var done []shards.Done
	var failed []shards.Failure
	for i, f := range files {
		n := 1 + i%4
		for s := range n {
			sh := shards.Shard{ID: fmt.Sprintf("%02d%02d", i, s), File: f, FileIndex: i, Index: s, NumShards: n,
				FirstClip: 2 * s, Clips: 2, ContentSHA256: fmt.Sprintf("sha%d", i)}
			if i == 2 && s == 1 {
				failed = append(failed, shards.Failure{File: f, FileIndex: i, Shard: s, Error: "broken"})
				continue
			}
			done = append(done, shards.Done{Shard: sh, Rows: 2, Computed: s%2 == 0})
		}
	}
	failed = append(failed, shards.Failure{File: files[4], FileIndex: 4, Shard: -1, Error: "unreadable"})
	manifest := func() string {
		data, err := json.Marshal(shards.BuildManifest(shards.Resolved{}, files, done, failed))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	want := manifest()
	m := shards.BuildManifest(shards.Resolved{}, files, done, failed)
	for i, f := range m.Files {
		if f.File != files[i] {
			t.Fatalf("manifest file %d is %s, want %s (input order)", i, f.File, files[i])
		}
		for s, id := range f.Shards {
			if f.Complete && id != fmt.Sprintf("%02d%02d", i, s) {
				t.Errorf("%s: shard %d is %s", f.File, s, id)
			}
		}
	}
	if m.Files[2].Complete || m.Files[4].Complete || !m.Files[0].Complete {
		t.Errorf("completeness %+v", m.Files)
	}
	rng := rand.New(rand.NewPCG(5, 1))
	for range 20 {
		rng.Shuffle(len(done), func(i, j int) { done[i], done[j] = done[j], done[i] })
		rng.Shuffle(len(failed), func(i, j int) { failed[i], failed[j] = failed[j], failed[i] })
		if got := manifest(); got != want {
			t.Fatalf("the manifest depends on the order shards arrive in:\n%s\n%s", got, want)
		}
	}
}
