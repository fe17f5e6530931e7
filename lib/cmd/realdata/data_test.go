package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
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

// TestNoTrainingRecordingInEvaluation compares every source file of the built
// evaluation sets with every recording of the built training set: the
// packages differ, but programs share sound effects (MegaGlest's
// mudchute_cow_1.ogg is Tux Paint's cow_white.ogg, byte for byte), and a
// recording that trained an extractor must not measure it. Pairs whose
// loudness envelopes match (sameRecording, the build's test for near copies)
// are one recording when their waveforms also correlate (≥ 0.9 at the best
// lag within ±0.1 s): one-bump envelopes of short calls and syllables match
// by chance.
func TestNoTrainingRecordingInEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes every built real-recording set")
	}
	type source struct {
		env        []float64
		path       string
		start, end int
	}
	load := func(p string) []float32 {
		a, err := audio.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		return a.Channels[0]
	}
	envelopes := func(set Set) map[string]source {
		dir := filepath.Join(datasetsDir, set.Name)
		if _, err := os.Stat(filepath.Join(dir, "labels.csv")); err != nil {
			t.Skipf("%s not built: run `make realdata`", set.Name)
		}
		rows := readMetadataRows(t, filepath.Join(dir, "metadata.csv"))
		loaded := map[string][]float32{}
		out := map[string]source{}
		frame := int(math.Round(DefaultOptions.EnvelopeSeconds * float64(DefaultOptions.SampleRateHz)))
		for _, m := range rows {
			p := filepath.Join(dir, m["file"])
			samples, ok := loaded[p]
			if !ok {
				samples = load(p)
				loaded = map[string][]float32{p: samples} // metadata lists a file's rows together
			}
			first, _ := strconv.Atoi(m["first_clip"]) // "" (one file per recording): 0
			seconds, err := strconv.ParseFloat(m["source_seconds"], 64)
			if err != nil {
				t.Fatalf("%s: source_seconds %q", m["file"], m["source_seconds"])
			}
			start := first * int(math.Round(DefaultOptions.ClipSeconds*float64(DefaultOptions.SampleRateHz)))
			end := min(len(samples), start+int(math.Round(seconds*float64(DefaultOptions.SampleRateHz))))
			out[m["package"]+" "+m["source_path"]] = source{envelope(samples[start:end], frame), p, start, end}
		}
		return out
	}
	var training map[string]source
	for _, set := range Sets {
		if set.Use == Training {
			training = envelopes(set)
		}
	}
	for _, set := range Sets {
		if set.Use != Evaluation {
			continue
		}
		for name, e := range envelopes(set) {
			for trainName, tr := range training {
				if !sameRecording(e.env, tr.env, DefaultOptions) {
					continue
				}
				c := bestCorrelation(load(e.path)[e.start:e.end], load(tr.path)[tr.start:tr.end], DefaultOptions.SampleRateHz/10)
				t.Logf("%s: %s and training recording %s: envelopes match, waveforms correlate %.3f", set.Name, name, trainName, c)
				if c >= 0.9 {
					t.Errorf("%s: %s is a copy of training recording %s (waveforms correlate %.3f)", set.Name, name, trainName, c)
				}
			}
		}
	}
}

// bestCorrelation is the largest |Pearson correlation| of x and y shifted by
// up to maxLag samples either way, over the samples they share.
func bestCorrelation(x, y []float32, maxLag int) float64 {
	best := 0.0
	for lag := -maxLag; lag <= maxLag; lag++ {
		var sxy, sxx, syy float64
		for i := max(0, -lag); i < len(x) && i+lag < len(y); i++ {
			a, b := float64(x[i]), float64(y[i+lag])
			sxy += a * b
			sxx += a * a
			syy += b * b
		}
		if sxx > 0 && syy > 0 {
			best = max(best, math.Abs(sxy)/math.Sqrt(sxx*syy))
		}
	}
	return best
}

// TestBestCorrelation: a delayed, scaled copy correlates 1, unrelated noise hardly.
func TestBestCorrelation(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 4000)
	noise := make([]float32, 4000)
	for i := range x {
		x[i], noise[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
	}
	delayed := append(make([]float32, 37), x...)
	for i := range delayed {
		delayed[i] *= -0.5
	}
	if c := bestCorrelation(x, delayed, 50); math.Abs(c-1) > 1e-6 {
		t.Errorf("delayed copy: %g, want 1", c)
	}
	if c := bestCorrelation(x, delayed, 30); c > 0.2 {
		t.Errorf("delayed copy beyond the lags searched: %g, want near 0", c)
	}
	if c := bestCorrelation(x, noise, 50); c > 0.2 {
		t.Errorf("unrelated noise: %g, want near 0", c)
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
