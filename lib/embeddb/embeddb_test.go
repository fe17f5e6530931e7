package embeddb

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/search"
)

// vectors returns n seeded Gaussian vectors of dimension dim.
func vectors(n, dim int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dim)
		for j := range out[i] {
			out[i][j] = float32(rng.NormFloat64())
		}
	}
	return out
}

// windowsOf makes windows of 5 s every 2.5 s from the vectors.
func windowsOf(vs [][]float32) []Window {
	out := make([]Window, len(vs))
	for i, v := range vs {
		out[i] = Window{StartSeconds: 2.5 * float64(i), EndSeconds: 2.5*float64(i) + 5, Embedding: v}
	}
	return out
}

// cosineTop returns the ids of the k rows of vs most similar to q, by float64
// brute force (the independent reference), with ids[i] the id of vs[i].
func cosineTop(vs [][]float32, ids []int64, q []float32, k int) []int64 {
	score := func(v []float32) float64 {
		var dot, nv, nq float64
		for j := range v {
			dot += float64(v[j]) * float64(q[j])
			nv += float64(v[j]) * float64(v[j])
			nq += float64(q[j]) * float64(q[j])
		}
		return dot / math.Sqrt(nv*nq)
	}
	order := make([]int, len(vs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		sa, sb := score(vs[a]), score(vs[b])
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	out := make([]int64, k)
	for i := range out {
		out[i] = ids[order[i]]
	}
	return out
}

func open(t *testing.T, path string, o Options) *DB {
	t.Helper()
	db, err := Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

type modelSettings struct {
	Layer       string
	ClipSeconds float64
}

// TestAddListSearch: recordings and windows go in and come back bit for bit;
// a search finds what float64 brute force finds; keys name file and span.
func TestAddListSearch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	db := open(t, path, Options{HNSW: search.HNSWOptions{Seed: 1}})
	defer db.Close()
	lat, lon := 47.5, 8.25
	site := must[Deployment](t)(db.AddDeployment(Deployment{Name: "pond", Project: "dawn", Latitude: &lat, Longitude: &lon}))
	again := must[Deployment](t)(db.AddDeployment(Deployment{Name: "pond", Project: "dawn"}))
	if again.ID != site.ID || again.Latitude == nil || *again.Latitude != lat {
		t.Errorf("adding a known deployment again: %+v, want %+v", again, site)
	}
	model := must[Model](t)(db.AddModel("birds-v1", modelSettings{"embedding", 5}, 8))
	if m2 := must[Model](t)(db.AddModel("birds-v1", modelSettings{"embedding", 5}, 8)); m2 != model {
		t.Errorf("the same model added twice: %+v and %+v", model, m2)
	}
	if m3 := must[Model](t)(db.AddModel("birds-v1", modelSettings{"conv3", 5}, 8)); m3.ID == model.ID {
		t.Error("other settings gave the same model")
	}
	if _, err := db.AddModel("birds-v1", modelSettings{"embedding", 5}, 9); err == nil || !strings.Contains(err.Error(), "dimension 8, not 9") {
		t.Errorf("same model, another dimension: %v", err)
	}

	var all [][]float32
	var ids []int64
	start := time.Date(2026, 5, 1, 4, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	for r, n := range []int{30, 1, 45} {
		vs := vectors(n, 8, uint64(r))
		rec := Recording{DeploymentID: site.ID, File: fmt.Sprintf("site/rec%d.wav", r), StartTime: start,
			DurationSeconds: 2.5*float64(n) + 2.5, ContentSHA256: fmt.Sprintf("%064d", r)}
		rec = must[Recording](t)(db.AddRecording(rec, model, windowsOf(vs)))
		got := must[[]Window](t)(db.Windows(rec.ID, model))
		if len(got) != n {
			t.Fatalf("%s: %d windows back, %d in", rec.File, len(got), n)
		}
		for i, w := range got {
			if !slices.Equal(w.Embedding, vs[i]) || w.StartSeconds != 2.5*float64(i) || w.EndSeconds != w.StartSeconds+5 {
				t.Fatalf("%s window %d: %+v, want the embedding and span given", rec.File, i, w)
			}
			ids = append(ids, w.ID)
		}
		all = append(all, vs...)
	}
	// Zero windows: a file shorter than one clip is still marked done.
	short := must[Recording](t)(db.AddRecording(Recording{File: "short.wav"}, model, nil))
	if done := must[bool](t)(db.Embedded("short.wav", model)); !done {
		t.Error("a recording added with no windows is not marked embedded")
	}
	if done := must[bool](t)(db.Embedded("other.wav", model)); done {
		t.Error("an unknown file is marked embedded")
	}
	if _, err := db.AddRecording(Recording{File: "short.wav"}, model, nil); !errors.Is(err, ErrAlreadyEmbedded) {
		t.Errorf("adding a recording twice: %v, want ErrAlreadyEmbedded", err)
	}
	if _, err := db.AddRecording(Recording{File: "site/rec0.wav", ContentSHA256: strings.Repeat("f", 64)}, model, nil); err == nil ||
		!strings.Contains(err.Error(), "the file changed") {
		t.Errorf("a changed file: %v", err)
	}

	counts := must[Counts](t)(db.Count())
	if want := (Counts{Deployments: 1, Recordings: 4, Models: 2, Windows: 76}); counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	recs := must[[]Recording](t)(db.Recordings())
	if len(recs) != 4 || recs[0].File != "site/rec0.wav" || !recs[0].StartTime.Equal(start) || recs[0].DeploymentID != site.ID ||
		recs[3].ID != short.ID || !recs[3].StartTime.IsZero() || recs[3].DeploymentID != 0 {
		t.Errorf("recordings %+v", recs)
	}

	queries := vectors(20, 8, 99)
	for qi, q := range queries {
		hits := must[[]Hit](t)(db.Search(model, q, 5))
		want := cosineTop(all, ids, q, 5)
		got := make([]int64, len(hits))
		for i, h := range hits {
			got[i] = h.WindowID
		}
		if !slices.Equal(got, want) {
			t.Errorf("query %d: windows %v, brute force %v", qi, got, want)
		}
	}
	// Hits carry their keys; a window's own vector finds it first.
	hits := must[[]Hit](t)(db.Search(model, all[31], 1))
	if h := hits[0]; h.WindowID != ids[31] || h.File != "site/rec2.wav" || h.StartSeconds != 0 || h.EndSeconds != 5 || math.Abs(float64(h.Score)-1) > 1e-6 {
		t.Errorf("own vector: hit %+v, want window %d of site/rec2.wav at 0–5 s, score 1", h, ids[31])
	}
	if hits := must[[]Hit](t)(db.Search(model, all[0], 1000)); len(hits) != 76 {
		t.Errorf("k beyond the windows: %d hits, want all 76", len(hits))
	}
	if err := db.CheckIntegrity(); err != nil {
		t.Error(err)
	}
}

// TestBadInput: every refused input names what is wrong and leaves nothing
// half-written.
func TestBadInput(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"), Options{})
	defer db.Close()
	model := must[Model](t)(db.AddModel("m", nil, 3))
	good := []float32{1, 2, 3}
	cases := []struct {
		name string
		rec  Recording
		m    Model
		w    []Window
		want string
	}{
		{"no file", Recording{}, model, nil, "needs a file name"},
		{"dimension", Recording{File: "a"}, model, []Window{{0, 0, 0, 0, 1, []float32{1, 2}}}, "embedding of 2 values, the model's dimension is 3"},
		{"NaN", Recording{File: "a"}, model, []Window{{0, 0, 0, 0, 1, []float32{1, float32(math.NaN()), 0}}}, "embedding value 1 is NaN"},
		{"zero", Recording{File: "a"}, model, []Window{{0, 0, 0, 0, 1, good}, {0, 0, 0, 1, 2, []float32{0, 0, 0}}}, "window 1 (1–2 s): embedding: zero vector"},
		{"span", Recording{File: "a"}, model, []Window{{0, 0, 0, 3, 3, good}}, "want 0 ≤ start < end"},
		{"negative start", Recording{File: "a"}, model, []Window{{0, 0, 0, -1, 3, good}}, "want 0 ≤ start < end"},
		{"unknown model", Recording{File: "a"}, Model{ID: 42, Name: "ghost", Dim: 3}, []Window{{0, 0, 0, 0, 1, good}}, "model 42 (ghost): not in the database"},
		{"model dim", Recording{File: "a"}, Model{ID: model.ID, Name: "m", Dim: 2}, nil, "has dimension 3, not 2"},
		{"deployment", Recording{File: "a", DeploymentID: 7}, model, nil, "FOREIGN KEY"},
	}
	for _, c := range cases {
		_, err := db.AddRecording(c.rec, c.m, c.w)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if c := must[Counts](t)(db.Count()); c.Recordings != 0 || c.Windows != 0 {
		t.Errorf("after refused adds: %+v, want no recordings or windows", c)
	}
	if _, err := db.Search(model, good, 1); err == nil || !strings.Contains(err.Error(), "no windows of model m") {
		t.Errorf("search of an empty model: %v", err)
	}
	if _, err := db.AddModel("", nil, 3); err == nil {
		t.Error("a model without a name was added")
	}
	if _, err := db.AddModel("x", func() {}, 3); err == nil {
		t.Error("settings that are not JSON were accepted")
	}
}

// TestAnnotations: labels with provenance, by window or by span; a window's
// annotations are those that overlap it.
func TestAnnotations(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"), Options{})
	defer db.Close()
	model := must[Model](t)(db.AddModel("m", nil, 4))
	rec := must[Recording](t)(db.AddRecording(Recording{File: "dawn.flac"}, model, windowsOf(vectors(4, 4, 1))))
	ws := must[[]Window](t)(db.Windows(rec.ID, model)) // 0–5, 2.5–7.5, 5–10, 7.5–12.5 s
	when := time.Date(2026, 6, 1, 5, 0, 0, 123, time.UTC)
	first := must[Annotation](t)(db.AnnotateWindow(ws[1].ID, "wren", Positive, "human:ana"))
	if first.StartSeconds != 2.5 || first.EndSeconds != 7.5 || first.File != "dawn.flac" || time.Since(first.CreatedAt) > time.Minute {
		t.Errorf("window annotation %+v", first)
	}
	must[Annotation](t)(db.Annotate(Annotation{RecordingID: rec.ID, StartSeconds: 10, EndSeconds: 11, Label: "wren",
		Type: Negative, Provenance: "model:linear-v1", CreatedAt: when}))
	must[Annotation](t)(db.Annotate(Annotation{RecordingID: rec.ID, StartSeconds: 0, EndSeconds: 2.5, Label: "robin",
		Type: Uncertain, Provenance: "human:bo", CreatedAt: when}))
	wrens := must[[]Annotation](t)(db.Annotations("wren"))
	if len(wrens) != 2 || wrens[1].Type != Negative || wrens[1].Provenance != "model:linear-v1" || !wrens[1].CreatedAt.Equal(when) {
		t.Errorf("wren annotations %+v", wrens)
	}
	if all := must[[]Annotation](t)(db.Annotations("")); len(all) != 3 {
		t.Errorf("%d annotations in all, want 3", len(all))
	}
	// By hand: window 0 (0–5 s) overlaps wren 2.5–7.5 and robin 0–2.5;
	// window 2 (5–10 s) overlaps wren 2.5–7.5 only (10–11 touches it at 10);
	// window 3 (7.5–12.5 s) overlaps the negative wren 10–11 only.
	for w, want := range map[int][]string{0: {"wren", "robin"}, 2: {"wren"}, 3: {"wren"}} {
		got := must[[]Annotation](t)(db.WindowAnnotations(ws[w].ID))
		var labels []string
		for _, a := range got {
			labels = append(labels, a.Label)
		}
		if !slices.Equal(labels, want) {
			t.Errorf("window %d: labels %v, want %v", w, labels, want)
		}
	}
	for _, bad := range []Annotation{
		{RecordingID: rec.ID, StartSeconds: 0, EndSeconds: 1, Type: Positive, Provenance: "x"},
		{RecordingID: rec.ID, StartSeconds: 0, EndSeconds: 1, Label: "a", Type: Positive},
		{RecordingID: rec.ID, StartSeconds: 0, EndSeconds: 1, Label: "a", Type: 5, Provenance: "x"},
		{RecordingID: rec.ID, StartSeconds: 2, EndSeconds: 1, Label: "a", Type: Positive, Provenance: "x"},
		{RecordingID: 99, StartSeconds: 0, EndSeconds: 1, Label: "a", Type: Positive, Provenance: "x"},
	} {
		if _, err := db.Annotate(bad); err == nil {
			t.Errorf("annotation %+v accepted", bad)
		}
	}
	if _, err := db.AnnotateWindow(12345, "a", Positive, "x"); err == nil || !strings.Contains(err.Error(), "window 12345: not in the database") {
		t.Errorf("unknown window: %v", err)
	}
	for _, s := range []string{"negative", "positive", "uncertain"} {
		if lt, err := ParseLabelType(s); err != nil || lt.String() != s {
			t.Errorf("ParseLabelType(%q) = %v, %v", s, lt, err)
		}
	}
	if _, err := ParseLabelType("maybe"); err == nil {
		t.Error("ParseLabelType(maybe) accepted")
	}
}

// TestExport: the export reads back with lib/embed as the windows went in.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "a.db"), Options{})
	defer db.Close()
	model := must[Model](t)(db.AddModel("m", nil, 5))
	a, b := vectors(3, 5, 1), vectors(2, 5, 2)
	must[Recording](t)(db.AddRecording(Recording{File: "b, with comma.wav"}, model, windowsOf(a)))
	must[Recording](t)(db.AddRecording(Recording{File: "a.wav"}, model, windowsOf(b)))
	if err := db.Export(model, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	e, err := embed.Read(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(a), b...)
	if e.Len() != 5 {
		t.Fatalf("%d rows exported, want 5", e.Len())
	}
	for i := range want {
		if !slices.Equal(e.Vectors[i], want[i]) {
			t.Errorf("row %d: %v, want %v", i, e.Vectors[i], want[i])
		}
	}
	if k := e.Keys[4]; k.File != "a.wav" || k.StartSeconds != 2.5 || k.EndSeconds != 7.5 {
		t.Errorf("key 4 = %+v", k)
	}
	if k := e.Keys[0]; k.File != "b, with comma.wav" {
		t.Errorf("key 0 = %+v", k)
	}
	empty := must[Model](t)(db.AddModel("empty", nil, 5))
	if err := db.Export(empty, filepath.Join(dir, "none")); err == nil {
		t.Error("exporting a model without windows: no error")
	}
}

// TestSchema: the migrations and the schema version agree; a newer database,
// another SQLite database and a file that is not SQLite are refused with the
// file's name; a database keeps its identity.
func TestSchema(t *testing.T) {
	if SchemaVersion != len(migrations) {
		t.Fatalf("SchemaVersion %d, %d migrations", SchemaVersion, len(migrations))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	db := open(t, path, Options{})
	id := db.uuid
	db.Close()
	db = open(t, path, Options{})
	if db.uuid != id || len(id) != 32 {
		t.Errorf("identity %q after reopening, %q before", db.uuid, id)
	}
	var version, app int
	db.sql.QueryRow("PRAGMA user_version").Scan(&version)
	db.sql.QueryRow("PRAGMA application_id").Scan(&app)
	if version != SchemaVersion || app != applicationID {
		t.Errorf("user_version %d, application_id %#x", version, app)
	}
	var journal string
	db.sql.QueryRow("PRAGMA journal_mode").Scan(&journal)
	if journal != "wal" {
		t.Errorf("journal mode %q, want wal", journal)
	}
	db.sql.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "schema version 99 is newer") || !strings.Contains(err.Error(), path) {
		t.Errorf("newer schema: %v", err)
	}

	other := filepath.Join(dir, "other.db")
	raw, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec("CREATE TABLE birds (name TEXT)")
	raw.Close()
	if _, err := Open(other, Options{}); err == nil || !strings.Contains(err.Error(), "not an embedding database") {
		t.Errorf("another SQLite database: %v", err)
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, bytes.Repeat([]byte("not a database\n"), 100), 0o644)
	if _, err := Open(text, Options{}); err == nil || !strings.Contains(err.Error(), text) {
		t.Errorf("a text file: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "missing", "a.db"), Options{}); err == nil {
		t.Error("a database in a missing directory: no error")
	}
}
