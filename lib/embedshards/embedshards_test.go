package embedshards

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

func TestShardName(t *testing.T) {
	for in, want := range map[string]string{"rec/a.wav": "rec/a.wav", "/abs/b.wav": "abs/b.wav", "../up/c.wav": "__/up/c.wav", "./d.wav": "d.wav"} {
		if got := ShardName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestPutReadDone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	m := Manifest{Model: "fake", Settings: map[string]any{"overlap_seconds": 0.5}}
	d, err := Open(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	files := []archive.File{
		{Path: "rec/b.wav", Windows: []archive.Window{{StartSeconds: 0, EndSeconds: 1, Embedding: []float32{1, 2}}, {StartSeconds: 0.5, EndSeconds: 1.5, Embedding: []float32{3, 4}}}},
		{Path: "rec/a.wav", Windows: []archive.Window{{StartSeconds: 0, EndSeconds: 1, Embedding: []float32{5, 6}}}},
		{Path: "rec/short.wav"}, // no window
	}
	for _, f := range files {
		if done, _ := d.Done(f.Path); done {
			t.Fatalf("%s done before Put", f.Path)
		}
		if err := d.Put(f); err != nil {
			t.Fatal(err)
		}
		if done, _ := d.Done(f.Path); !done {
			t.Fatalf("%s not done after Put", f.Path)
		}
	}
	e, err := d.Read()
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := []embed.Key{{File: "rec/a.wav", StartSeconds: 0, EndSeconds: 1}, {File: "rec/b.wav", StartSeconds: 0, EndSeconds: 1}, {File: "rec/b.wav", StartSeconds: 0.5, EndSeconds: 1.5}}
	if !reflect.DeepEqual(e.Keys, wantKeys) || !reflect.DeepEqual(e.Vectors, [][]float32{{5, 6}, {1, 2}, {3, 4}}) {
		t.Errorf("read back %v %v", e.Keys, e.Vectors)
	}
	// An .npy without its .csv (a kill between the two) is not done.
	os.Remove(filepath.Join(dir, "rec", "a.wav.csv"))
	if done, _ := d.Done("rec/a.wav"); done {
		t.Error("a shard without its keys counts as done")
	}
	if _, err := Open(dir, m); err != nil {
		t.Errorf("reopening with the same settings: %v", err)
	}
	if _, err := Open(dir, Manifest{Model: "fake", Settings: map[string]any{"overlap_seconds": 0}}); err == nil {
		t.Error("other settings accepted in the same folder")
	}
}
