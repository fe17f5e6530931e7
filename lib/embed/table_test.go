package embed_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// TestEmbedTable embeds a table whose rows name files in another order than the files'
// clips, twice the same file, and a clip at 3 s: each row must get its own clip (the fake
// model's first value is the clip's mean, the tone's amplitude sign aside, and its third
// the clip's length), and every file is read once.
func TestEmbedTable(t *testing.T) {
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "six.wav"), 6, 22050, 1, 0.5, 1000)
	writeTone(t, filepath.Join(dir, "three.wav"), 3, 22050, 1, 0.25, 500)
	table := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{
		{File: "three.wav", StartSeconds: 0, EndSeconds: 3, Labels: []int{1}},
		{File: "six.wav", StartSeconds: 3, EndSeconds: 6, Labels: []int{1}},
		{File: "six.wav", StartSeconds: 0, EndSeconds: 3, Labels: []int{1}},
	}}
	m := &fakeModel{}
	e, err := embed.EmbedTable(m, dir, table, embed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		file  string
		start float64
		peak  float32
	}{{"three.wav", 0, 0.25}, {"six.wav", 3, 0.5}, {"six.wav", 0, 0.5}}
	if e.Len() != len(want) {
		t.Fatalf("%d rows embedded, want %d", e.Len(), len(want))
	}
	for i, w := range want {
		k := e.Keys[i]
		if k.File != filepath.Join(dir, w.file) || k.StartSeconds != w.start {
			t.Errorf("row %d: key %+v, want %s at %g s", i, k, w.file, w.start)
		}
		if peak := e.Vectors[i][1]; peak < w.peak*0.99 || peak > w.peak*1.01 {
			t.Errorf("row %d: peak %v, want about %v (another file's clip?)", i, peak, w.peak)
		}
	}
	if m.clips != 3 { // six.wav's two clips and three.wav's one, each embedded once
		t.Errorf("the model embedded %d clips, want 3", m.clips)
	}

	for _, tc := range []struct {
		name string
		row  dataset.Row
		want string
	}{
		{"a start where no clip starts", dataset.Row{File: "six.wav", StartSeconds: 1.5, EndSeconds: 4.5, Labels: []int{1}}, "row 1 (" + filepath.Join(dir, "six.wav") + " at 1.5 s): no clip"},
		{"a missing file", dataset.Row{File: "gone.wav", EndSeconds: 3, Labels: []int{1}}, "gone.wav"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{tc.row}}
			if _, err := embed.EmbedTable(&fakeModel{}, dir, bad, embed.Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestEmbedTableStartTolerance: a row takes the clip that starts within a millisecond of
// its start (EmbedRows' rule, shared), on either side, and no clip beyond that.
func TestEmbedTableStartTolerance(t *testing.T) {
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "six.wav"), 6, 22050, 1, 0.5, 1000)
	for _, tc := range []struct {
		start     float64
		wantStart float64 // the clip's start; -1: no clip
	}{{0, 0}, {3, 3}, {3.0006, 3}, {2.9994, 3}, {0.0009, 0}, {3.0012, -1}, {2.9988, -1}, {1.5, -1}} {
		table := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{
			{File: "six.wav", StartSeconds: tc.start, EndSeconds: tc.start + 3, Labels: []int{1}}}}
		e, err := embed.EmbedTable(&fakeModel{}, dir, table, embed.Options{})
		switch {
		case tc.wantStart < 0 && (err == nil || !strings.Contains(err.Error(), "no clip")):
			t.Errorf("row at %g s: error %v, want no clip", tc.start, err)
		case tc.wantStart >= 0 && err != nil:
			t.Errorf("row at %g s: %v", tc.start, err)
		case tc.wantStart >= 0 && e.Keys[0].StartSeconds != tc.wantStart:
			t.Errorf("row at %g s: clip at %g s, want %g s", tc.start, e.Keys[0].StartSeconds, tc.wantStart)
		}
	}
}
