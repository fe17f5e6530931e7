package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// datasetsDir is the repository's datasets/ from this package's folder.
var datasetsDir = filepath.Join("..", "..", "..", "datasets")

// TestBuiltSets checks each real-recording set that `make realdata` has
// built: its labels parse with lib/dataset, every file loads with lib/audio
// as a mono 22050 Hz recording of whole 3 s clips, metadata.csv accounts for
// every file with its class, pinned source and use, and the committed data
// sheet's counts are the built set's (a sheet that drifted from the packages
// or the rules fails here: rebuild with `make realdata` and commit the sheet).
func TestBuiltSets(t *testing.T) {
	for _, set := range Sets {
		t.Run(set.Name, func(t *testing.T) {
			dir := filepath.Join(datasetsDir, set.Name)
			labelsPath := filepath.Join(dir, "labels.csv")
			if _, err := os.Stat(labelsPath); os.IsNotExist(err) {
				t.Skipf("%s not built: run `make realdata` (downloads about 273 MB of Debian packages once)", labelsPath)
			}
			labels, err := dataset.ReadLabelCSV(labelsPath)
			if err != nil {
				t.Fatal(err)
			}
			if !labels.IsSingleLabel() {
				t.Error("labels are not single-label")
			}
			meta := readMetadata(t, filepath.Join(dir, "metadata.csv"))
			recordings := map[string]int{}
			clips := map[string]int{}
			for _, row := range labels.Rows {
				class := labels.Classes[row.ClassOf()]
				m, ok := meta[row.File]
				if !ok {
					t.Fatalf("%s: %s is not in metadata.csv", labelsPath, row.File)
				}
				if m["class"] != class {
					t.Errorf("%s: labelled %s, metadata says %s", row.File, class, m["class"])
				}
				clips[class]++
			}
			for file, m := range meta {
				recordings[m["class"]]++
				src, err := sourceByName(m["package"])
				if err != nil || src.Version != m["version"] || !slices.Contains(set.Packages, src.Package) {
					t.Errorf("%s: from %s %s, not a pinned package of set %s", file, m["package"], m["version"], set.Name)
				}
				if m["use"] != string(set.Use) {
					t.Errorf("%s: use %q, want %q", file, m["use"], set.Use)
				}
			}
			for _, class := range labels.Classes {
				if recordings[class] < set.MinPerClass {
					t.Errorf("class %s: %d recordings, fewer than %d", class, recordings[class], set.MinPerClass)
				}
			}
			checkSheet(t, filepath.Join(dir, "DATASHEET.md"), labels.Classes, recordings, clips)
			if testing.Short() {
				return
			}
			ends := map[string]float64{}
			for _, row := range labels.Rows {
				ends[row.File] = max(ends[row.File], row.EndSeconds)
			}
			for file, end := range ends {
				a, err := audio.Load(filepath.Join(dir, file))
				if err != nil {
					t.Error(err)
					continue
				}
				if a.SampleRateHz != DefaultOptions.SampleRateHz || len(a.Channels) != 1 || a.DurationSeconds() < end-1e-9 {
					t.Errorf("%s: %d Hz, %d channels, %.3f s; want mono %d Hz reaching its last clip's end %g s",
						file, a.SampleRateHz, len(a.Channels), a.DurationSeconds(), DefaultOptions.SampleRateHz, end)
				}
			}
		})
	}
}

// readMetadata reads metadata.csv as one map of column → value per file.
func readMetadata(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %d rows, %v", path, len(rows), err)
	}
	out := map[string]map[string]string{}
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, col := range rows[0] {
			m[col] = row[i]
		}
		out[m["file"]] = m
	}
	return out
}

// checkSheet finds each class's row of the data sheet's table and compares
// its recordings and clips with the built set.
func checkSheet(t *testing.T, path string, classes []string, recordings, clips map[string]int) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (the data sheet is committed with the set's rules)", err)
	}
	sheet := string(raw)
	for _, class := range classes {
		want := fmt.Sprintf("| %s | %d | %d |", class, recordings[class], clips[class])
		if !strings.Contains(sheet, want) {
			t.Errorf("%s: no row %q: the committed sheet differs from the built set (rebuild with `make realdata`, commit the sheet)", path, want)
		}
	}
}
