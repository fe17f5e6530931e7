package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// runHere runs the command in-process in dir (its error log there too) and
// returns its exit status, stdout and stderr.
func runHere(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestFlagsRefusedOutsideTheirMode checks that a flag given where it does not
// apply is a usage error naming it and saying where it applies, and (the
// controls) that the same flag in its own mode is not refused: those runs get
// past the flags and fail on the missing inputs instead (exit 3).
func TestFlagsRefusedOutsideTheirMode(t *testing.T) {
	dir := t.TempDir()
	tables := filepath.Join(dir, "tables")
	os.MkdirAll(tables, 0o755)
	os.WriteFile(filepath.Join(tables, "rec.selections.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "answers.csv"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "scores.csv"), nil, 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"embed", "-npy", "out", "-hash=false", "rec"}, exitUsage, "-hash: only for the database"},
		{[]string{"embed", "-npy", "out", "-db", "x.db", "-hash", "rec"}, exitUsage, "-db, -hash: only for the database"},
		{[]string{"embed", "-db", "x.db", "-hash=false", "missing"}, exitFailed, ""},
		{[]string{"label", "-label", "owl", "-clips", "c", "hits.csv"}, exitUsage, "-clips: only with -interactive"},
		{[]string{"label", "-label", "owl", "-interactive", "-clips", "c", "hits.csv"}, exitFailed, ""},
		{[]string{"validate", "-answers", "answers.csv", "-n", "10", "-seed", "2"}, exitUsage, "-n, -seed: only for drawing a sample"},
		{[]string{"validate", "-threshold", "0.7", "-detector", "none"}, exitUsage, "-threshold: only with -answers"},
		{[]string{"validate", "-answers", "answers.csv", "-threshold", "0.7"}, exitFailed, ""},
		{[]string{"train", "-labels", "l.csv", "-column", "Species", "-min-overlap", "1"}, exitUsage, "-column, -min-overlap: only with -raven"},
		{[]string{"train", "-labels", "l.csv", "-model-id", "2"}, exitUsage, "-model-id: only with -annotations"},
		{[]string{"train", "-labels", "l.csv", "-weak-negatives", "5"}, exitUsage, "-weak-negatives: only with -annotations"},
		{[]string{"train", "-annotations", "owl", "-overlap", "1", "-workers", "2"}, exitUsage, "-overlap, -workers: not with -annotations"},
		{[]string{"train", "-labels", "l.csv", "-classifier", "knn", "-C", "3"}, exitUsage, "-C: only for -classifier logistic, svm or svm-rbf"},
		{[]string{"train", "-labels", "l.csv", "-seed", "3"}, exitUsage, "-seed: only for -classifier mlp or forest, or the draw of -weak-negatives"},
		{[]string{"train", "-annotations", "owl", "-seed", "3"}, exitUsage, "-seed: only for"},
		{[]string{"train", "-annotations", "owl", "-weak-negatives", "4", "-seed", "3", "-db", "missing.db"}, exitFailed, ""},
		{[]string{"train", "-labels", "missing.csv", "-classifier", "forest", "-seed", "3", "-overlap", "1"}, exitFailed, ""},
		{[]string{"train", "-raven", "missing", "-classifier", "svm", "-C", "2", "-column", "Species"}, exitFailed, ""},
		{[]string{"evaluate", "-annotations", "ann", "-merge=false", "-max-event", "6", "scores.csv"}, exitUsage, "-max-event: only with -merge"},
		{[]string{"analyze", "-merge=false", "-merge-gap", "1", "-split-drop", "0.1", "rec"}, exitUsage, "-merge-gap, -split-drop: only with -merge"},
		{[]string{"evaluate", "-annotations", "ann", "-threshold", "1.5", "tables"}, exitUsage, "-threshold 1.5: want a score in [0, 1]"},
		{[]string{"analyze", "-overlap", "1", "rec"}, exitUsage, "-overlap: only with -model-scores"},
		{[]string{"analyze", "-model-scores", "m.model", "-detector", "d", "-model", "m.model", "rec"}, exitUsage, "-detector, -model: not with -model-scores"},
		{[]string{"analyze", "-model-scores", "m.model", "-overlap", "1", "rec"}, exitFailed, ""},
		{[]string{"evaluate", "-annotations", "ann", "-split-drop", "0.2", "tables"}, exitUsage, "-split-drop: only for scores"},
	} {
		code, _, stderr := runHere(t, dir, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("dawnchorus %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
	}
}

// TestEvaluateTablesThreshold checks that evaluate applies -threshold to
// detection tables: on random seeded detections and annotated calls, its
// report with -threshold T equals its report on tables written with only the
// detections of confidence ≥ T (the reference, filtered here), and it says
// how many it kept.
func TestEvaluateTablesThreshold(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(17, 6))
	labels := []string{"owl", "wren"}
	var all []detections.Detection
	os.MkdirAll(filepath.Join(dir, "ann"), 0o755)
	for f := range 3 {
		file := filepath.Join(dir, "rec", fmt.Sprintf("r%d.wav", f))
		var calls []detections.Detection
		for range 6 {
			start := float64(rng.IntN(100))
			calls = append(calls, detections.Detection{File: file, StartSeconds: start, EndSeconds: start + 1 + float64(rng.IntN(3)), Label: labels[rng.IntN(2)]})
		}
		if err := detections.WriteRaven(filepath.Join(dir, "ann", fmt.Sprintf("r%d.Table.1.selections.txt", f)), calls, detections.RavenOptions{}); err != nil {
			t.Fatal(err)
		}
		for range 12 {
			start := float64(rng.IntN(34)) * 3
			all = append(all, detections.Detection{File: file, StartSeconds: start, EndSeconds: start + 3, Label: labels[rng.IntN(2)],
				Confidence: float32(rng.IntN(101)) / 100})
		}
	}
	write := func(sub string, dets []detections.Detection) {
		files, groups := detections.ByFile(dets)
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".wav") + ".selections.txt"
			if err := detections.WriteRaven(filepath.Join(dir, sub, name), groups[f], detections.RavenOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("all", all)
	for _, threshold := range []float64{0.305, 0.5, 0.805} {
		var kept []detections.Detection
		for _, d := range all {
			if float64(d.Confidence) >= threshold {
				kept = append(kept, d)
			}
		}
		sub := fmt.Sprintf("kept%g", threshold)
		write(sub, kept)
		code, got, stderr := runHere(t, dir, "evaluate", "-annotations", "ann", "-threshold", fmt.Sprint(threshold), "all")
		if code != exitOK {
			t.Fatalf("evaluate -threshold %g: exit %d\n%s", threshold, code, stderr)
		}
		code, want, stderr := runHere(t, dir, "evaluate", "-annotations", "ann", sub)
		if code != exitOK {
			t.Fatalf("evaluate %s: exit %d\n%s", sub, code, stderr)
		}
		head := fmt.Sprintf("%d of the %d detections in the tables have confidence ≥ %g\n", len(kept), len(all), threshold)
		if got != head+want {
			t.Errorf("threshold %g: evaluate says\n%s\nwant\n%s%s", threshold, got, head, want)
		}
	}
}

// TestEvaluateMaxEventFromScores checks evaluate's default -max-event on
// generated scores (seeded random runs of high scores): windows of 3 s every
// second give analyze's cap of a window plus one hop (4 s), windows every 3 s
// one window, each the same report as with that -max-event given (the
// reference); scores with a window missing are irregular: said on stderr,
// and the cap is 3 s.
func TestEvaluateMaxEventFromScores(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "ann"), 0o755)
	rng := rand.New(rand.NewPCG(23, 4))
	var calls []detections.Detection
	for start := 2.0; start < 110; start += 4 + float64(rng.IntN(8)) {
		calls = append(calls, detections.Detection{File: "r0.wav", StartSeconds: start, EndSeconds: start + 1 + rng.Float64()*3, Label: "owl"})
	}
	if err := detections.WriteRaven(filepath.Join(dir, "ann", "r0.Table.1.selections.txt"), calls, detections.RavenOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		hop     float64
		drop    int // a window left out (-1: none)
		wantCap string
		logged  bool
	}{
		{1, -1, "4", false},
		{3, -1, "3", false},
		{0.5, -1, "3.5", false},
		{1, 17, "3", true},
	} {
		s := &detections.Scores{Classes: []string{"owl"}}
		for j := 0; float64(j)*c.hop < 117; j++ {
			if j == c.drop {
				continue
			}
			start := float64(j) * c.hop
			score := float32(rng.Float64() * 0.4)
			for _, call := range calls {
				if start < call.EndSeconds && call.StartSeconds < start+3 {
					score = 0.6 + float32(rng.Float64()*0.4)
				}
			}
			s.Append([]embed.Key{{File: "r0.wav", StartSeconds: start, EndSeconds: start + 3}}, [][]float32{{score}})
		}
		if err := s.WriteCSV(filepath.Join(dir, "scores.csv")); err != nil {
			t.Fatal(err)
		}
		code, got, stderr := runHere(t, dir, "evaluate", "-annotations", "ann", "scores.csv")
		if code != exitOK {
			t.Fatalf("hop %g: exit %d\n%s", c.hop, code, stderr)
		}
		_, want, _ := runHere(t, dir, "evaluate", "-annotations", "ann", "-max-event", c.wantCap, "scores.csv")
		note := regexp.MustCompile(` \(windows of [^)]*\)\n`)
		if !strings.Contains(got, "at most "+c.wantCap+" s") || note.ReplaceAllString(got, "\n") != want {
			t.Errorf("hop %g: evaluate says\n%s\nwith -max-event %s:\n%s", c.hop, got, c.wantCap, want)
		}
		if logged := strings.Contains(stderr, "not one hop; -max-event is 3 s (give it to choose)"); logged != c.logged {
			t.Errorf("hop %g, window %d left out: stderr %q", c.hop, c.drop, stderr)
		}
	}
}
