package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
				how := "make realdata"
				if set.OnDemand {
					how = "make " + labelsPath
				}
				t.Skipf("%s not built: run `%s` (downloads its Debian packages once)", labelsPath, how)
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
			packages := map[string]map[string]bool{}
			for _, m := range meta {
				if packages[m["class"]] == nil {
					packages[m["class"]] = map[string]bool{}
				}
				packages[m["class"]][m["package"]] = true
			}
			for _, class := range labels.Classes {
				if recordings[class] < set.MinPerClass {
					t.Errorf("class %s: %d recordings, fewer than %d", class, recordings[class], set.MinPerClass)
				}
				// real-animal-kinds' sheet says every kind comes from several programs.
				if len(set.Packages) > 1 && set.Use == Evaluation && len(packages[class]) < 2 {
					t.Errorf("class %s: recordings from %d package, want at least 2 (the data sheet says so)", class, len(packages[class]))
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
	out := map[string]map[string]string{}
	for _, m := range readMetadataRows(t, path) {
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

// TestNoTrainingRecordingInEvaluation compares the audio each source file
// of the built evaluation sets has in its WAV file (its clips, from
// first_clip on) with every recording of the built training set: the
// packages differ, but programs share sound effects (MegaGlest's
// mudchute_cow_1.ogg is Tux Paint's cow_white.ogg, byte for byte; Widelands'
// horse_00.ogg is Scratch's Horse.wav, trimmed and polarity-flipped), and a
// recording that trained an extractor must not measure it. excerptOf, the
// build's own matcher, finds copies, excerpts and longer takes alike.
func TestNoTrainingRecordingInEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes every built real-recording set")
	}
	o := DefaultOptions
	clipFrames := int(math.Round(o.ClipSeconds * float64(o.SampleRateHz)))
	type source struct {
		name  string
		sound *sound
	}
	sources := func(set Set) []source {
		dir := filepath.Join(datasetsDir, set.Name)
		if _, err := os.Stat(filepath.Join(dir, "labels.csv")); err != nil {
			t.Skipf("%s not built: run `make realdata`", set.Name)
		}
		var out []source
		loaded := map[string][]float32{}
		for _, m := range readMetadataRows(t, filepath.Join(dir, "metadata.csv")) {
			p := filepath.Join(dir, m["file"])
			samples, ok := loaded[p]
			if !ok {
				a, err := audio.Load(p)
				if err != nil {
					t.Fatal(err)
				}
				samples = a.Channels[0]
				loaded = map[string][]float32{p: samples} // metadata lists a file's rows together
			}
			first, _ := strconv.Atoi(m["first_clip"]) // "" (one file per recording): 0
			clips, err := strconv.Atoi(m["clips"])
			if err != nil {
				t.Fatalf("%s: clips %q", m["file"], m["clips"])
			}
			start, end := first*clipFrames, (first+clips)*clipFrames
			if end > len(samples) {
				t.Fatalf("%s: clips %d from %d reach sample %d, the file has %d", m["file"], clips, first, end, len(samples))
			}
			out = append(out, source{m["package"] + " " + m["source_path"], newSound(samples[start:end], o)})
		}
		return out
	}
	var training []source
	for _, set := range Sets {
		if set.Use == Training {
			training = append(training, sources(set)...)
		}
	}
	for _, set := range Sets {
		if set.Use != Evaluation {
			continue
		}
		for _, e := range sources(set) {
			for _, tr := range training {
				if m, ok := excerptOf(e.sound, tr.sound, o); ok {
					t.Errorf("%s: %s matches training recording %s (%s; envelope r %.2f, waveform r %.2f)",
						set.Name, e.name, tr.name, m.relation("the former", "the latter"), m.Envelope, m.Wave)
				}
			}
		}
	}
}

// readMetadataRows reads metadata.csv as one map of column → value per row.
func readMetadataRows(t *testing.T, path string) []map[string]string {
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
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, col := range rows[0] {
			m[col] = row[i]
		}
		out = append(out, m)
	}
	return out
}
