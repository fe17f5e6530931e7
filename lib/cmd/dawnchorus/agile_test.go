package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/detections"
)

// TestAnalyzeReusesDatabaseAndEvaluateTables: the loop of lesson 06 from the
// command line. An archive embedded into the database is analyzed without
// embedding it again (the scores equal those of a run that embeds), and the
// Raven tables analyze wrote are evaluated against the archive's annotations,
// call by call.
func TestAnalyzeReusesDatabaseAndEvaluateTables(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	writeArchive(t, dir, "train", 6, 1700, 15, true)
	writeArchive(t, dir, "archive", 4, 1800, 15, true)

	dc(t, dir, "embed", "archive").want(t, exitOK, "embed")

	// Lesson 06's command-line loop: search by example, write a label table of
	// the hits (here from the recordings' singers, as a listener would) plus one
	// window taken as "other" unheard, train on it, analyze from the database.
	r := dc(t, dir, "search", "-k", "6", "-clips", "hits", "-start", "0", "-end", "3", "archive/siteA/rec00.wav").want(t, exitOK, "search")
	var labels strings.Builder
	labels.WriteString("file,start_time,end_time,target,other\n")
	hitRows := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) != 6 {
			t.Fatalf("search row %q", line)
		}
		if _, err := os.Stat(filepath.Join(dir, f[5])); err != nil {
			t.Errorf("hit clip: %v", err)
		}
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f[2]), "rec"), ".wav"))
		isTarget := speciesOf(n) == speciesOf(0)
		labels.WriteString(f[2] + "," + f[3] + "," + f[4] + "," + map[bool]string{true: "1,0", false: "0,1"}[isTarget] + "\n")
		hitRows++
	}
	labels.WriteString("archive/siteA/rec01.wav,12,15,0,1\n")
	if hitRows != 6 {
		t.Fatalf("%d hits, want 6:\n%s", hitRows, r.stdout)
	}
	os.WriteFile(filepath.Join(dir, "labels.csv"), []byte(labels.String()), 0o644)
	dc(t, dir, "train", "-labels", "labels.csv", "-out", "detector-cli").want(t, exitOK, "train on the hits' labels")
	r = dc(t, dir, "analyze", "-detector", "detector-cli", "-out", "detections-cli", "archive").want(t, exitOK, "analyze with it")
	if !strings.Contains(r.stdout, "(4 in this run, 4 of them from dawnchorus.db's windows") {
		t.Fatalf("analyze did not reuse the database's windows: %s", r.stdout)
	}

	dc(t, dir, "train", "-raven", "train").want(t, exitOK, "train")
	r = dc(t, dir, "analyze", "archive").want(t, exitOK, "analyze from the database")
	if !strings.Contains(r.stdout, "(4 in this run, 4 of them from dawnchorus.db's windows") {
		t.Fatalf("analyze did not reuse the database's windows: %s", r.stdout)
	}
	r = dc(t, dir, "analyze", "-db", "", "-out", "fresh", "archive").want(t, exitOK, "analyze embedding afresh")
	if !strings.Contains(r.stdout, "(4 in this run, 0 of them") {
		t.Fatalf("analyze -db '': %s", r.stdout)
	}
	for _, rec := range []string{"archive/siteA/rec00.wav", "archive/siteB/rec02.wav"} {
		name := filepath.Join("scores", rec+".csv")
		fromDB, err := detections.ReadScoresCSV(filepath.Join(dir, "detections", name))
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := detections.ReadScoresCSV(filepath.Join(dir, "fresh", name))
		if err != nil {
			t.Fatal(err)
		}
		if len(fromDB.Keys) == 0 || len(fromDB.Keys) != len(fresh.Keys) {
			t.Fatalf("%s: %d windows from the database, %d embedded afresh", rec, len(fromDB.Keys), len(fresh.Keys))
		}
		for i := range fresh.Keys {
			if fromDB.Keys[i] != fresh.Keys[i] {
				t.Fatalf("%s: window %d: %+v from the database, %+v afresh", rec, i, fromDB.Keys[i], fresh.Keys[i])
			}
			for c := range fresh.Values[i] {
				if d := fromDB.Values[i][c] - fresh.Values[i][c]; d > 1e-5 || d < -1e-5 {
					t.Fatalf("%s: window %d class %d: %g from the database, %g afresh", rec, i, c, fromDB.Values[i][c], fresh.Values[i][c])
				}
			}
		}
	}
	// A file changed since it was embedded is embedded afresh.
	writeRecording(t, filepath.Join(dir, "archive", "siteA", "rec00.wav"), 1899, 0, 15, true)
	r = dc(t, dir, "analyze", "-out", "changed", "archive").want(t, exitOK, "analyze after a change")
	if !strings.Contains(r.stdout, "(4 in this run, 3 of them") || !strings.Contains(r.stderr, "rec00.wav changed since it was embedded") {
		t.Fatalf("a changed file: %s\n%s", r.stdout, r.stderr)
	}
	writeRecording(t, filepath.Join(dir, "archive", "siteA", "rec00.wav"), 1800, speciesOf(0), 15, true) // as embedded

	// Evaluate the tables (analyze's folder) call by call.
	r = dc(t, dir, "evaluate", "-annotations", "archive", "detections").want(t, exitOK, "evaluate tables")
	t.Logf("evaluate:\n%s", r.stdout)
	var calls, dets int
	tables, _ := filepath.Glob(filepath.Join(dir, "archive", "*", "*.Table.1.selections.txt"))
	for _, p := range tables {
		sel, err := dataset.ReadRaven(p, "Annotation")
		if err != nil {
			t.Fatal(err)
		}
		calls += len(sel)
	}
	outs, _ := filepath.Glob(filepath.Join(dir, "detections", "archive", "*", "*.wav.selections.txt"))
	for _, p := range outs {
		d, err := detections.ReadRaven(p)
		if err != nil {
			t.Fatal(err)
		}
		dets += len(d)
	}
	m := regexp.MustCompile(`all\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no 'all' row in:\n%s", r.stdout)
	}
	gotCalls, _ := strconv.Atoi(m[1])
	gotDets, _ := strconv.Atoi(m[2])
	matched, _ := strconv.Atoi(m[3])
	if calls == 0 || gotCalls != calls || gotDets != dets || matched > min(calls, dets) {
		t.Errorf("evaluate counted %d calls, %d detections, %d matched; the tables hold %d calls, %d detections", gotCalls, gotDets, matched, calls, dets)
	}
	// Merged detections of a well-trained detector find most calls' windows.
	if precision, _ := strconv.ParseFloat(m[4], 64); precision < 0.5 {
		t.Errorf("precision %g of events, want ≥ 0.5", precision)
	}
	// One table file works too; a table that is not analyze's is refused by name.
	os.WriteFile(filepath.Join(dir, "bad.selections.txt"), []byte("Begin Time (s)\tEnd Time (s)\tAnnotation\n0\t1\tx\n"), 0o644)
	r = dc(t, dir, "evaluate", "-annotations", "archive", "bad.selections.txt").want(t, exitFailed, "evaluate a foreign table")
	if !strings.Contains(r.stderr, `bad.selections.txt: line 1: no "Begin Path" column`) {
		t.Errorf("foreign table: %s", r.stderr)
	}
}
