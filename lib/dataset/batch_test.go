package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestLabelsFromRavenSkipsBadTables(t *testing.T) {
	dir := t.TempDir()
	noColumn := filepath.Join(dir, "b.txt")
	os.WriteFile(noColumn, []byte("Begin Time (s)\tEnd Time (s)\tLabel\n1\t2\tamro\n"), 0o644)
	files := []RavenFile{
		{Audio: "a.wav", Table: filepath.Join("testdata", "example.Raven.selections.txt"), DurationSeconds: 10},
		{Audio: "b.wav", Table: noColumn, DurationSeconds: 10},
		{Audio: "c.wav", Table: filepath.Join(dir, "missing.txt"), DurationSeconds: 10},
	}
	labels, skipped := LabelsFromRaven(files, "Species", ClipOptions{ClipSeconds: 5}, OverlapOptions{MinOverlapSeconds: 0.25})
	if len(skipped) != 2 || skipped[0].Path != noColumn || !errors.Is(skipped[0], ErrFormat) || !errors.Is(skipped[1], os.ErrNotExist) {
		t.Fatalf("skipped %v", skipped)
	}
	// a.wav: amro 1–2.5 and 6.9–9.0, bcch 4.8–5.3 → 0–5: amro (bcch 0.2 s < 0.25), 5–10: amro, bcch (0.3 s).
	want := []Row{{"a.wav", 0, 5, []int{1, 0}, 0}, {"a.wav", 5, 10, []int{1, 1}, 0}}
	if !reflect.DeepEqual(labels.Classes, []string{"amro", "bcch"}) || !reflect.DeepEqual(labels.Rows, want) {
		t.Errorf("labels %+v", labels)
	}
	other := &LabelTable{Classes: labels.Classes, Rows: []Row{{"b.wav", 0, 5, []int{0, 1}, 0}, {"b.wav", 5, 10, []int{0, 0}, 0}}}
	both, err := Concat(labels, other)
	if err != nil || len(both.Rows) != 4 || both.Rows[2].File != "b.wav" {
		t.Errorf("Concat: %v, %v", both, err)
	}
	if _, err := Concat(labels, &LabelTable{Classes: []string{"x", "y"}}); err == nil {
		t.Error("Concat of tables with different classes accepted")
	}
}
