package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/detector"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/synth"
)

// readRows reads a CSV written by the command as rows of fields (header first).
func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		rows = append(rows, strings.Split(line, ","))
	}
	return rows
}

// annotationsOf reads the label's annotations from the database in dir.
func annotationsOf(t *testing.T, dir, label string) []embeddb.Annotation {
	t.Helper()
	db, err := embeddb.Open(filepath.Join(dir, defaultDB), embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	anns, err := db.Annotations(label)
	if err != nil {
		t.Fatal(err)
	}
	return anns
}

// TestLabelTrainValidate: the agile loop from the command line on generated
// recordings — search by example into a CSV, label the hits on the terminal
// (stopping half-way and going on) and from a CSV, train on the annotations
// with weak negatives, draw a score-stratified validation sample, fill it in,
// estimate the precision, store the answers, and analyze with the detector.
// The answers come from the recordings' songs (what a listener would say).
func TestLabelTrainValidate(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	paths, _, recs := writeArchive(t, dir, "archive", 16, 2300, 9, false)
	recOf := map[string]*synth.Recording{}
	for i, p := range paths {
		recOf[p] = recs[i]
	}
	// A window holds the target when a song of species 0 overlaps it.
	holds := func(file, start, end string) bool {
		s, _ := strconv.ParseFloat(start, 64)
		e, _ := strconv.ParseFloat(end, 64)
		rec := recOf[file]
		if rec == nil {
			t.Fatalf("no recording %s", file)
		}
		for _, ev := range rec.Events {
			if ev.Voice.Species == 0 && ev.StartSeconds < e && ev.EndSeconds > s {
				return true
			}
		}
		return false
	}
	answer := func(file, start, end string) string {
		if holds(file, start, end) {
			return "y\n"
		}
		return "n\n"
	}
	dc(t, dir, "embed", "archive").want(t, exitOK, "embed")
	dc(t, dir, "search", "-k", "5", "-csv", "hits.csv", "-start", "3", "-end", "6", "archive/siteA/rec00.wav").want(t, exitOK, "search")
	hits := readRows(t, filepath.Join(dir, "hits.csv"))
	if len(hits) != 6 || !slices.Equal(hits[0], []string{"file", "start_time", "end_time", "score", "rank", "clip"}) {
		t.Fatalf("hits.csv: %v", hits)
	}

	// Label on the terminal: a reply that is no answer is asked again; the
	// third hit is skipped, then the person quits.
	stdin := "maybe\n" + answer(hits[1][0], hits[1][1], hits[1][2]) + answer(hits[2][0], hits[2][1], hits[2][2]) + "s\nq\n"
	r := dcIn(t, dir, stdin, "label", "-label", "target", "-interactive", "-provenance", "human:test", "hits.csv").want(t, exitOK, "label, then quit")
	if strings.Count(r.stdout, "answer y, n, u, s or q") != 1 || !strings.Contains(r.stdout, "[1/5] archive/siteA/rec00.wav 3.00–6.00 s") ||
		!strings.Contains(r.stdout, "stored 2 annotations") {
		t.Fatalf("label -interactive:\n%s", r.stdout)
	}
	filled := readRows(t, filepath.Join(dir, "hits.csv"))
	for i, row := range filled[1:] {
		want := ""
		if i < 2 {
			want = map[string]string{"y\n": "1", "n\n": "0"}[answer(row[0], row[1], row[2])]
		}
		if filled[0][6] != "target" || row[6] != want {
			t.Fatalf("hits.csv after answering 2: row %d: %v", i, row)
		}
	}
	// Going on asks only the rest; what is stored is not stored twice.
	stdin = answer(hits[3][0], hits[3][1], hits[3][2]) + answer(hits[4][0], hits[4][1], hits[4][2]) + answer(hits[5][0], hits[5][1], hits[5][2])
	r = dcIn(t, dir, stdin, "label", "-label", "target", "-interactive", "-clips", "clips", "-provenance", "human:test", "hits.csv").want(t, exitOK, "label the rest")
	if !strings.Contains(r.stdout, "stored 3 annotations") || !strings.Contains(r.stdout, "2 already there, 0 rows without an answer") || strings.Contains(r.stdout, "[1/5]") {
		t.Fatalf("label -interactive again:\n%s", r.stdout)
	}
	if clips, _ := filepath.Glob(filepath.Join(dir, "clips", "*.wav")); len(clips) != 3 {
		t.Errorf("%d clips cut for the 3 windows asked", len(clips))
	}
	// From a CSV: a window nobody asked about, and one of a file not in the database.
	other := ""
	for _, p := range paths {
		if slices.ContainsFunc(hits[1:], func(h []string) bool { return h[0] == p }) || holds(p, "3", "6") {
			continue
		}
		other = p
		break
	}
	os.WriteFile(filepath.Join(dir, "more.csv"), []byte("file,start_time,end_time,target\n"+other+",3,6,no\narchive/none.wav,0,3,1\n"), 0o644)
	r = dc(t, dir, "label", "-label", "target", "-provenance", "expert:test", "more.csv").want(t, exitSomeFailed, "label from a CSV")
	if !strings.Contains(r.stderr, "archive/none.wav is not in dawnchorus.db") || !strings.Contains(r.stdout, "stored 1 annotations") {
		t.Fatalf("label from a CSV:\n%s\n%s", r.stdout, r.stderr)
	}
	anns := annotationsOf(t, dir, "target")
	positives := 0
	for i, a := range anns {
		row := []string{other, "3", "6"}
		prov := "expert:test"
		if i < 5 {
			row, prov = hits[1+i][:3], "human:test"
		}
		want := embeddb.Negative
		if holds(row[0], row[1], row[2]) {
			want, positives = embeddb.Positive, positives+1
		}
		if a.File != row[0] || formatSeconds(a.StartSeconds) != row[1] || a.Type != want || a.Provenance != prov {
			t.Errorf("annotation %d: %+v; want %v %v by %s", i, a, row, want, prov)
		}
	}
	if len(anns) != 6 || positives == 0 {
		t.Fatalf("%d annotations, %d positive; want 6 with some positive", len(anns), positives)
	}

	// Train on them with weak negatives; the config records how.
	r = dc(t, dir, "train", "-annotations", "target", "-weak-negatives", "3", "-seed", "5", "-out", "det").want(t, exitOK, "train -annotations")
	det, err := detector.Load(filepath.Join(dir, "det"))
	if err != nil {
		t.Fatal(err)
	}
	rec := det.Config.Annotations
	if rec == nil || rec.Label != "target" || rec.Positives != positives || rec.Negatives != 6-positives || rec.WeakNegatives != 3 ||
		rec.Seed != 5 || !slices.IsSorted(rec.TrainingFiles) || !slices.Contains(rec.TrainingFiles, other) ||
		!slices.Equal(det.Config.Classes, []string{"target"}) || det.Config.Examples != 9 {
		t.Fatalf("detector config: %+v, annotations %+v\n%s", det.Config, rec, r.stdout)
	}

	// Validation: a stratified sample from the recordings that trained nothing.
	dc(t, dir, "validate", "-detector", "det", "-n", "6").want(t, exitOK, "validate")
	sample := readRows(t, filepath.Join(dir, "validation.csv"))
	if len(sample) != 7 || sample[0][8] != "target" {
		t.Fatalf("validation.csv: %v", sample)
	}
	for _, row := range sample[1:] {
		if slices.Contains(rec.TrainingFiles, row[0]) || row[8] != "" {
			t.Errorf("sampled %v: a training recording, or answered", row)
		}
	}
	dc(t, dir, "validate", "-detector", "det", "-n", "6").want(t, exitFailed, "validate over a worksheet")
	// Strata by the scores' quantiles: about as many windows in each, their
	// edges the archive's scores rather than quarters of [0, 1].
	r = dc(t, dir, "validate", "-detector", "det", "-n", "6", "-strata-by", "quantiles", "-out", "quantiles.csv").want(t, exitOK, "validate -strata-by quantiles")
	byQuantile, _, _, err := agile.ReadValidationCSV(filepath.Join(dir, "quantiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	byWidth, _, _, _ := agile.ReadValidationCSV(filepath.Join(dir, "validation.csv"))
	if slices.Equal(byQuantile.Edges, byWidth.Edges) || slices.Max(byQuantile.Windows)-slices.Min(byQuantile.Windows) > 1 ||
		sum(byQuantile.Windows) != sum(byWidth.Windows) {
		t.Errorf("quantile strata %v %v, equal-width ones %v %v:\n%s", byQuantile.Windows, byQuantile.Edges, byWidth.Windows, byWidth.Edges, r.stdout)
	}
	dc(t, dir, "validate", "-detector", "det", "-strata-by", "median", "-out", "x.csv").want(t, exitUsage, "validate -strata-by median")
	r = dc(t, dir, "validate", "-answers", "validation.csv").want(t, exitFailed, "estimate without answers")
	if !strings.Contains(r.stderr, "no window has a yes or no answer yet") {
		t.Errorf("estimate without answers: %s", r.stderr)
	}
	var lines []string
	for _, row := range sample {
		if row[0] != "file" {
			row[8] = map[bool]string{true: "1", false: "0"}[holds(row[0], row[1], row[2])]
		}
		lines = append(lines, strings.Join(row, ","))
	}
	os.WriteFile(filepath.Join(dir, "validation.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	r = dc(t, dir, "validate", "-answers", "validation.csv").want(t, exitOK, "estimate")
	t.Logf("validate -answers:\n%s", r.stdout)
	s, _, answers, err := agile.ReadValidationCSV(filepath.Join(dir, "validation.csv"))
	if err != nil {
		t.Fatal(err)
	}
	est, _ := s.Estimate(answers, 0.5)
	if want := fmt.Sprintf("precision at score ≥ 0.50: %.2f, 95 %% interval [%.2f, %.2f] (%d answered", est.Precision, est.PrecisionLow, est.PrecisionHigh, est.Above); !strings.Contains(r.stdout, want) || est.Answered != 6 {
		t.Errorf("validate -answers: want %q in:\n%s", want, r.stdout)
	}
	dc(t, dir, "validate", "-answers", "validation.csv", "-threshold", "1.5").want(t, exitFailed, "a threshold past 1")
	// The answers go into the database too.
	r = dc(t, dir, "label", "-label", "target", "-provenance", "validation:test", "validation.csv").want(t, exitOK, "store the validation's answers")
	if !strings.Contains(r.stdout, "stored 6 annotations") || len(annotationsOf(t, dir, "target")) != 12 {
		t.Errorf("storing the validation's answers: %s", r.stdout)
	}

	// The detector runs over the archive from the database's windows.
	r = dc(t, dir, "analyze", "-detector", "det", "-out", "dets", "archive").want(t, exitOK, "analyze")
	if !strings.Contains(r.stdout, "of them from dawnchorus.db's windows") {
		t.Errorf("analyze did not reuse the database: %s", r.stdout)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "det", detector.ConfigName))
	var raw map[string]any
	json.Unmarshal(data, &raw)
	if a, ok := raw["annotations"].(map[string]any); !ok || a["weak_negatives"] != 3.0 {
		t.Errorf("detector.json's annotations: %v", raw["annotations"])
	}
	if !regexp.MustCompile(`3 weak negatives`).MatchString(dc(t, dir, "train", "-annotations", "target", "-weak-negatives", "3", "-out", "det2").stdout) {
		t.Error("train does not say how many weak negatives it drew")
	}
	dc(t, dir, "train", "-annotations", "nothing").want(t, exitFailed, "train on a label without annotations")
	dc(t, dir, "train", "-labels", "x.csv", "-weak-negatives", "3").want(t, exitUsage, "weak negatives without annotations")
	dc(t, dir, "label", "hits.csv").want(t, exitUsage, "label without -label")
	dc(t, dir, "validate", "-n", "0").want(t, exitUsage, "validate -n 0")
}

func sum(counts []int) int {
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}
