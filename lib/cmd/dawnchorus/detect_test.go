package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/detector"
)

// TestTrainAnalyzeEvaluateSegments trains a detector on annotated recordings
// (Raven tables), runs it over other recordings (one corrupt), writes every
// kind of table, evaluates the scores against those recordings' own tables
// and cuts the detections into clips.
func TestTrainAnalyzeEvaluateSegments(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	writeArchive(t, dir, "train", 6, 700, 15, true)
	writeArchive(t, dir, "test", 4, 800, 15, true)
	writeCorrupt(t, filepath.Join(dir, "test", "siteA", "zz-broken.wav"))

	r := dc(t, dir, "train", "-raven", "train").want(t, exitOK, "train -raven")
	d, err := detector.Load(filepath.Join(dir, "detector"))
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{catalogue.Species[0].Code, catalogue.Species[2].Code}
	slices.Sort(codes) // the classes: every annotation, sorted
	if strings.Join(d.Config.Classes, ",") != strings.Join(codes, ",") || !d.Config.MultiLabel || d.Config.Extractor != "birds-v1" {
		t.Fatalf("detector config %+v\n%s", d.Config, r.stdout)
	}
	if d.Config.Examples != 6*len(expectedSpans(t, 15, 0)) {
		t.Errorf("trained on %d windows, want %d", d.Config.Examples, 6*len(expectedSpans(t, 15, 0)))
	}

	r = dc(t, dir, "analyze", "-formats", "raven,audacity,csv,parquet", "test").want(t, exitSomeFailed, "analyze with a corrupt file")
	if !strings.Contains(r.stdout, "analyzed 4 recordings") {
		t.Errorf("analyze's summary: %s", r.stdout)
	}
	for _, suffix := range []string{".selections.txt", ".labels.txt", ".detections.csv", ".detections.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, "detections", "test", "siteA", "rec00.wav"+suffix)); err != nil {
			t.Errorf("table missing: %v", err)
		}
	}
	// The tables agree with each other, and Raven's reads back with lib/dataset.
	base := filepath.Join(dir, "detections", "test", "siteA", "rec00.wav")
	fromCSV, err := detections.ReadCSV(base + ".detections.csv")
	if err != nil {
		t.Fatal(err)
	}
	fromParquet, err := detections.ReadParquet(base + ".detections.parquet")
	if err != nil {
		t.Fatal(err)
	}
	sel, err := dataset.ReadRaven(base+".selections.txt", "Annotation")
	if err != nil {
		t.Fatal(err)
	}
	if len(fromCSV) == 0 || len(fromCSV) != len(fromParquet) || len(fromCSV) != len(sel) {
		t.Fatalf("%d detections in the CSV, %d in Parquet, %d in Raven", len(fromCSV), len(fromParquet), len(sel))
	}
	for i := range fromCSV {
		if fromCSV[i] != fromParquet[i] || sel[i].BeginSeconds != fromCSV[i].StartSeconds || sel[i].Annotation != fromCSV[i].Label {
			t.Errorf("detection %d: CSV %+v, Parquet %+v, Raven %+v", i, fromCSV[i], fromParquet[i], sel[i])
		}
	}
	// A rerun scores nothing again; a lower threshold only rewrites tables.
	r = dc(t, dir, "analyze", "-formats", "csv", "-min-confidence", "0.1", "test").want(t, exitSomeFailed, "analyze again")
	if !strings.Contains(r.stdout, "0 of them from dawnchorus.db's windows; 4 already scored") {
		t.Errorf("second analyze: %s", r.stdout)
	}
	lower, err := detections.ReadCSV(base + ".detections.csv")
	if err != nil || len(lower) < len(fromCSV) {
		t.Errorf("at 0.1: %d detections (%v), at 0.5: %d", len(lower), err, len(fromCSV))
	}

	// Evaluate against the test recordings' own tables (not used to train).
	r = dc(t, dir, "evaluate", "-annotations", "test", "detections/scores").want(t, exitOK, "evaluate")
	t.Logf("evaluate:\n%s", r.stdout)
	for _, code := range codes {
		m := regexp.MustCompile(regexp.QuoteMeta(code) + `\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)`).FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("no row for %s in:\n%s", code, r.stdout)
		}
		ap, _ := strconv.ParseFloat(m[2], 64)
		auroc, _ := strconv.ParseFloat(m[3], 64)
		if ap < 0.7 || auroc < 0.7 {
			t.Errorf("%s: AP %g, AUROC %g on held-out recordings, want ≥ 0.7", code, ap, auroc)
		}
	}

	// Its events — windows at ≥ 0.5 merged as analyze merges them, matched one
	// to one with the calls — are those of analyze's Raven tables at 0.5.
	allRow := regexp.MustCompile(`(?m)^\s*all\s+\d+\s+\d+\s+\d+\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+`)
	fromScores := allRow.FindString(r.stdout)
	fromTables := allRow.FindString(dc(t, dir, "evaluate", "-annotations", "test", "detections/test").want(t, exitOK, "evaluate tables").stdout)
	if fromScores == "" || fromScores != fromTables {
		t.Errorf("events from the scores %q, from analyze's tables %q", fromScores, fromTables)
	}

	// One combined Raven table: times laid end to end.
	dc(t, dir, "analyze", "-combined", "-formats", "raven,csv", "test").want(t, exitSomeFailed, "analyze -combined")
	f, err := os.ReadFile(filepath.Join(dir, "detections", "detections.selections.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(f)), "\n")
	// Find's order: siteA's recordings, then siteB's.
	offsets := map[string]float64{"test/siteA/rec00.wav": 0, "test/siteA/rec01.wav": 15, "test/siteA/rec03.wav": 30, "test/siteB/rec02.wav": 45}
	if len(lines) < 2 {
		t.Fatalf("combined table:\n%s", f)
	}
	for _, line := range lines[1:] {
		c := strings.Split(line, "\t")
		begin, _ := strconv.ParseFloat(c[3], 64)
		offset, _ := strconv.ParseFloat(c[8], 64)
		want, ok := offsets[c[7]]
		if !ok || begin != want+offset {
			t.Errorf("combined row %q: begin %g, file offset %g, recording at %g", line, begin, offset, want)
		}
	}

	// Segments: every detection of the combined CSV as a clip.
	all, err := detections.ReadCSV(filepath.Join(dir, "detections", "detections.detections.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r = dc(t, dir, "segments", "-pad", "0.5", "detections/detections.detections.csv").want(t, exitOK, "segments")
	if !strings.Contains(r.stdout, fmt.Sprintf("wrote %d clips", len(all))) {
		t.Errorf("segments: %s (want %d clips)", r.stdout, len(all))
	}
	d0 := all[0]
	clip := filepath.Join(dir, "segments", d0.Label, fmt.Sprintf("%s_%.2f-%.2fs_%.3f.wav", strings.TrimSuffix(filepath.Base(d0.File), ".wav"), d0.StartSeconds, d0.EndSeconds, d0.Confidence))
	a, err := audio.Load(clip)
	if err != nil {
		t.Fatal(err)
	}
	wantSeconds := min(15, d0.EndSeconds+0.5) - max(0, d0.StartSeconds-0.5)
	if got := a.DurationSeconds(); got < wantSeconds-1e-3 || got > wantSeconds+1e-3 {
		t.Errorf("clip %s: %g s, want %g", clip, got, wantSeconds)
	}
}

// TestTrainFoldersAndLabelCSV trains from one folder per class and from an
// OpenSoundscape label table, with other classifiers.
func TestTrainFoldersAndLabelCSV(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	for i := range 4 {
		writeRecording(t, filepath.Join(dir, "classes", "alpha", fmt.Sprintf("a%d.wav", i)), uint64(900+i), 0, 4, false)
		writeRecording(t, filepath.Join(dir, "classes", "beta", fmt.Sprintf("b%d.wav", i)), uint64(910+i), 2, 4, false)
	}
	r := dc(t, dir, "train", "-folders", "classes", "-classifier", "knn", "-out", "det-folders").want(t, exitOK, "train -folders")
	d, err := detector.Load(filepath.Join(dir, "det-folders"))
	if err != nil {
		t.Fatal(err)
	}
	perFile := len(expectedSpans(t, 4, 0))
	if d.Config.MultiLabel || d.Config.ClassCounts["alpha"] != 4*perFile || d.Config.ClassCounts["beta"] != 4*perFile {
		t.Errorf("folders: %+v\n%s", d.Config, r.stdout)
	}

	var b strings.Builder
	b.WriteString("file,start_time,end_time,alpha,beta\n")
	for i := range 4 {
		fmt.Fprintf(&b, "classes/alpha/a%d.wav,0,3,1,0\nclasses/beta/b%d.wav,0.5,2.5,0,1\n", i, i)
	}
	b.WriteString("classes/alpha/a0.wav,0,4,1,0\n") // 4 s: two windows, the second padded
	if err := os.WriteFile(filepath.Join(dir, "labels.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dc(t, dir, "train", "-labels", "labels.csv", "-classifier", "forest", "-out", "det-csv").want(t, exitOK, "train -labels")
	d, err = detector.Load(filepath.Join(dir, "det-csv"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Config.Examples != 10 || d.Config.ClassCounts["alpha"] != 6 || d.Config.ClassCounts["beta"] != 4 {
		t.Errorf("label CSV: %d examples, counts %v; want 10, alpha 6, beta 4", d.Config.Examples, d.Config.ClassCounts)
	}
	// A row naming a missing file is logged; the others train.
	os.WriteFile(filepath.Join(dir, "labels2.csv"), []byte(b.String()+"missing.wav,0,3,0,1\n"), 0o644)
	dc(t, dir, "train", "-labels", "labels2.csv", "-out", "det-csv2").want(t, exitSomeFailed, "train with a missing file")
	// Bad tables are refused with the line.
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("file,start_time,end_time,alpha\nx.wav,0,3,maybe\n"), 0o644)
	r = dc(t, dir, "train", "-labels", "bad.csv").want(t, exitFailed, "train on a bad table")
	if !strings.Contains(r.stderr, "line 2") {
		t.Errorf("bad table's error: %s", r.stderr)
	}
}
