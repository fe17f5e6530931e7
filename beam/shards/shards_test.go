package shards_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/beam/internal/archivetest"
	"github.com/dawnchorus/dawnchorus/beam/shards"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// shardSeconds cuts the test archive into shards of 2 clips (6 s).
const shardSeconds = 7

func resolve(t *testing.T, m zoo.Model) shards.Resolved {
	t.Helper()
	r, err := shards.Resolve(shards.Settings{Model: m.Info().Name, ShardSeconds: shardSeconds}, m.Info())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// run plans and embeds every file of paths into out, as the pipeline does, one
// shard at a time, and returns the failures.
func run(t *testing.T, m zoo.Model, r shards.Resolved, out string, paths []string) (done []shards.Done, failed []shards.Failure) {
	t.Helper()
	for i, p := range paths {
		planned, err := shards.PlanFile(r, p, i)
		if err != nil {
			failed = append(failed, shards.Failure{File: p, FileIndex: i, Shard: -1, Error: err.Error()})
			continue
		}
		for _, s := range planned {
			if rec, ok, err := shards.Finished(out, s); err == nil && ok {
				done = append(done, shards.Done{Shard: s, Rows: rec.Rows})
				continue
			}
			e, err := shards.EmbedShard(m, r, s)
			if err != nil {
				failed = append(failed, shards.Failure{File: p, FileIndex: i, Shard: s.Index, Error: err.Error()})
				continue
			}
			if _, err := shards.Write(out, s, e); err != nil {
				t.Fatal(err)
			}
			done = append(done, shards.Done{Shard: s, Rows: e.Len(), Computed: true})
		}
	}
	if err := shards.WriteManifest(out, shards.BuildManifest(r, paths, done, failed)); err != nil {
		t.Fatal(err)
	}
	return done, failed
}

// TestEmbedShardsMatchEmbedFiles: the archive cut into 2-clip shards,
// embedded shard by shard and merged, gives embed.EmbedFiles' keys and
// vectors on the same files, bit for bit — files at the model's rate and
// resampled ones, a tail padded, a file too short for a clip (dropped in
// both) — and the two unreadable files are failures in both. Load puts the
// same vectors in a database.
func TestEmbedShardsMatchEmbedFiles(t *testing.T) {
	m := zoo.MustLoad(zoo.BirdsV1)
	dir := t.TempDir()
	paths, bad := archivetest.Write(t, dir, 1)
	r := resolve(t, m)
	if r.ClipsPerShard != 2 {
		t.Fatalf("ClipsPerShard = %d for %g s shards of 3 s clips, want 2", r.ClipsPerShard, r.ShardSeconds)
	}
	want, err := embed.EmbedFiles(m, paths, r.Options())
	if err != nil {
		t.Fatal(err)
	}
	want = archivetest.AsPipeline(want)
	out := filepath.Join(dir, "out")
	done, failed := run(t, m, r, out, paths)
	if len(done) < 10 {
		t.Fatalf("%d shards done, want the archive cut into more than 10", len(done))
	}
	got, man, err := shards.Merge(out)
	if err != nil {
		t.Fatal(err)
	}
	archivetest.Same(t, got, want)
	var failedFiles []string
	for _, f := range got.Failures {
		failedFiles = append(failedFiles, f.Path)
	}
	if !slices.Equal(failedFiles, bad) {
		t.Errorf("failed files %v, want %v (failures %+v)", failedFiles, bad, failed)
	}
	var wantFailed []string
	for _, f := range want.Failures {
		wantFailed = append(wantFailed, f.Path)
	}
	if !slices.Equal(wantFailed, bad) {
		t.Errorf("EmbedFiles failed %v, want %v", wantFailed, bad)
	}
	if !slices.EqualFunc(got.Dropped, want.Dropped, func(a, b embed.Dropped) bool { return a == b }) {
		t.Errorf("dropped %+v, EmbedFiles dropped %+v", got.Dropped, want.Dropped)
	}
	if man.Computed != len(done) || man.Skipped != 0 {
		t.Errorf("manifest counts %d computed, %d skipped; want %d, 0", man.Computed, man.Skipped, len(done))
	}
	for _, f := range man.Failures {
		if !strings.Contains(f.Error, f.File) {
			t.Errorf("failure %q does not name its file %s", f.Error, f.File)
		}
	}

	// A second run finds every shard done and computes none.
	done2, _ := run(t, m, r, out, paths)
	for _, d := range done2 {
		if d.Computed {
			t.Errorf("second run computed %s again", d.Shard)
		}
	}

	// Into the embedding database: the same vectors, one recording per good file.
	db, err := embeddb.Open(filepath.Join(dir, "archive.db"), embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := shards.Load(out, db)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != len(archivetest.Good) || st.Windows != want.Len() || st.Incomplete != len(bad) {
		t.Errorf("Load: %+v, want %d recordings, %d windows, %d incomplete", st, len(archivetest.Good), want.Len(), len(bad))
	}
	models, err := db.Models()
	if err != nil || len(models) != 1 {
		t.Fatalf("models %v, %v", models, err)
	}
	fromDB, err := db.Embeddings(models[0])
	if err != nil {
		t.Fatal(err)
	}
	archivetest.Same(t, fromDB, want)
	if st2, err := shards.Load(out, db); err != nil || st2.Added != 0 || st2.Present != len(archivetest.Good) {
		t.Errorf("second Load: %+v, %v; want everything present", st2, err)
	}
}

// TestDoneRefusesDamage: a shard whose .npy changed after its record was
// written, or whose record is cut short, is not done, with an error naming the
// file; a shard with only its .npy (a crash between the writes) is simply not
// done.
func TestDoneRefusesDamage(t *testing.T) {
	out := t.TempDir()
	s := shards.Shard{ID: "ab12", File: "x.wav", NumShards: 1, Clips: -1}
	e := &embed.Embeddings{Model: "m", Keys: []embed.Key{{File: "x.wav", StartSeconds: 0, EndSeconds: 3}}, Vectors: [][]float32{{1, 2, 3}}}
	if _, err := shards.Write(out, s, e); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := shards.Finished(out, s); !ok || err != nil {
		t.Fatalf("Done after Write = %v, %v", ok, err)
	}
	npy, rec := shards.Paths(out, s.ID)
	data, _ := os.ReadFile(npy)
	recData, _ := os.ReadFile(rec)
	for _, tc := range []struct {
		name      string
		damage    func()
		wantError string
	}{
		{"npy changed", func() { d := slices.Clone(data); d[len(d)-1] ^= 1; os.WriteFile(npy, d, 0o644) }, npy},
		{"record cut", func() { os.WriteFile(rec, recData[:len(recData)/2], 0o644) }, rec},
		{"other shard's record", func() { os.WriteFile(rec, []byte(strings.Replace(string(recData), `"x.wav"`, `"y.wav"`, 1)), 0o644) }, rec},
		{"record missing", func() { os.Remove(rec) }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(npy, data, 0o644)
			os.WriteFile(rec, recData, 0o644)
			tc.damage()
			_, ok, err := shards.Finished(out, s)
			if ok {
				t.Fatal("damaged shard reported done")
			}
			if tc.wantError == "" && err != nil || tc.wantError != "" && (err == nil || !strings.Contains(err.Error(), tc.wantError)) {
				t.Errorf("error %v, want one naming %q", err, tc.wantError)
			}
		})
	}
}

// TestResolve: shard lengths in whole clips, and bad settings named.
func TestResolve(t *testing.T) {
	info := zoo.Info{Name: "m", SampleRateHz: 22050, ClipSeconds: 3, Layers: []string{"a", "emb"}}
	for _, tc := range []struct {
		s       shards.Settings
		clips   int
		wantErr string
	}{
		{shards.Settings{Model: "m"}, 20, ""},
		{shards.Settings{Model: "m", ShardSeconds: 3}, 1, ""},
		{shards.Settings{Model: "m", ShardSeconds: 5.99}, 1, ""},
		{shards.Settings{Model: "m", ShardSeconds: 6}, 2, ""},
		{shards.Settings{Model: "m", ShardSeconds: 60, OverlapSeconds: 1.5}, 39, ""},
		{shards.Settings{Model: "m", ShardSeconds: 2}, 0, "shard length 2"},
		{shards.Settings{Model: "m", OverlapSeconds: 3}, 0, "overlap of 3"},
		{shards.Settings{Model: "other"}, 0, `"other"`},
	} {
		r, err := shards.Resolve(tc.s, info)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Resolve(%+v) error %v, want one with %q", tc.s, err, tc.wantErr)
			}
			continue
		}
		if err != nil || r.ClipsPerShard != tc.clips || r.Layer != "emb" {
			t.Errorf("Resolve(%+v) = %d clips per shard, layer %q, %v; want %d, emb", tc.s, r.ClipsPerShard, r.Layer, err, tc.clips)
		}
	}
}

// TestKeyPinned: a shard's ID is made of Resolved.Key, so the key's text must
// not change when the settings' Go type does (an output folder written before
// would be embedded again). The strings were written by the code of 6a4d81a.
func TestKeyPinned(t *testing.T) {
	info := zoo.Info{Name: "m", SampleRateHz: 22050, ClipSeconds: 3, Layers: []string{"a", "emb"}, Digest: "d1"}
	for _, tc := range []struct {
		s    shards.Settings
		want string
	}{
		{shards.Settings{Model: "m"}, `{"Model":"m","Layer":"emb","Pooling":0,"BatchSize":32,"OverlapSeconds":0,"Final":0,"MinFinalSeconds":0,"Training":false,"Seed":0,"ShardSeconds":60,"Engine":"purego","Digest":"d1","SampleRateHz":22050,"ClipSeconds":3,"ClipsPerShard":20}`},
		{shards.Settings{Model: "m", EmbedOptions: zoo.EmbedOptions{Layer: "a", Pooling: 1, BatchSize: 7, Training: true, Seed: 9},
			OverlapSeconds: 1.5, Final: 2, MinFinalSeconds: 0.5, ShardSeconds: 30, Engine: "xla:cpu"}, `{"Model":"m","Layer":"a","Pooling":1,"BatchSize":7,"OverlapSeconds":1.5,"Final":2,"MinFinalSeconds":0.5,"Training":true,"Seed":9,"ShardSeconds":30,"Engine":"xla:cpu","Digest":"d1","SampleRateHz":22050,"ClipSeconds":3,"ClipsPerShard":19}`},
	} {
		r, err := shards.Resolve(tc.s, info)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Key(); got != tc.want {
			t.Errorf("Resolve(%+v).Key() =\n%s\nwant\n%s", tc.s, got, tc.want)
		}
		// A manifest written before holds the settings in this layout: they
		// read back as the same settings.
		var back shards.Resolved
		if err := json.Unmarshal([]byte(tc.want), &back); err != nil || back != r {
			t.Errorf("the key's JSON reads back as %+v (%v), want %+v", back, err, r)
		}
	}
}
