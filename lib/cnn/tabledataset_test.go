package cnn

import (
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestTableDataset: the dataset made from a table's rows must hold the same images as
// NewDataset on the same clips cut by hand, and each row's classes as its labels.
func TestTableDataset(t *testing.T) {
	m := MustNew(tinyConfig(SingleLabel), 1)
	rate := m.FrontEnd().Options.SampleRateHz
	dir := t.TempDir()
	tone := make([]float32, rate) // 1 s: two 0.5 s clips of different pitch
	for i := range tone {
		f := 1000.0
		if i >= rate/2 {
			f = 4000
		}
		tone[i] = float32(0.3 * math.Sin(2*math.Pi*f*float64(i)/float64(rate)))
	}
	if err := audio.WriteWAV(filepath.Join(dir, "tone.wav"), [][]float32{tone}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	table := &dataset.LabelTable{Classes: []string{"low", "mid", "high"}, Rows: []dataset.Row{
		{File: "tone.wav", StartSeconds: 0, EndSeconds: 0.5, Labels: []int{1, 0, 0}},
		{File: "tone.wav", StartSeconds: 0.5, EndSeconds: 1, Labels: []int{0, 0, 1}},
		{File: "tone.wav", StartSeconds: 0, EndSeconds: 0.5, Labels: []int{0, 0, 0}},
		{File: "tone.wav", StartSeconds: 0, EndSeconds: 1, Labels: []int{1, 0, 1}},
	}}
	got, err := m.TableDataset(dir, table, []int{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.NewDataset([][]float32{tone[rate/2:], tone[:rate/2]}, dataset.SingleLabel([]int{2, 0}, 3))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Images, want.Images) {
		t.Error("images differ from NewDataset's on the clips cut by hand")
	}
	if !reflect.DeepEqual(got.Labels, want.Labels) {
		t.Errorf("labels %+v, want %+v", got.Labels, want.Labels)
	}
	multi := MustNew(tinyConfig(MultiLabel), 1)
	if got, err := multi.TableDataset(dir, table, []int{1, 0}); err != nil || !reflect.DeepEqual(got.Labels, dataset.MultiLabel([][]int{{0, 0, 1}, {1, 0, 0}})) {
		t.Errorf("multi-label model: labels %+v, %v; want the rows' multi-hot labels", got.Labels, err)
	}
	if _, err := m.TableDataset(dir, table, []int{2}); err == nil || !strings.Contains(err.Error(), "row 2 (tone.wav at 0 s) has no class") {
		t.Errorf("a row without a class: error %v", err)
	}
	if _, err := m.TableDataset(dir, table, []int{0, 3}); err == nil || !strings.Contains(err.Error(), "row 3 (tone.wav at 0 s) has several classes") || !strings.Contains(err.Error(), "Head: cnn.MultiLabel") {
		t.Errorf("a row of two classes for a single-label head: error %v", err)
	}
}
