package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// eventsAll reads evaluate's "all" row of events: calls, detections, matched,
// precision and recall.
func eventsAll(t *testing.T, stdout string) (calls, dets, matched int, precision, recall float64) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*all\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no 'all' row in:\n%s", stdout)
	}
	calls, _ = strconv.Atoi(m[1])
	dets, _ = strconv.Atoi(m[2])
	matched, _ = strconv.Atoi(m[3])
	precision, _ = strconv.ParseFloat(m[4], 64)
	recall, _ = strconv.ParseFloat(m[5], 64)
	return calls, dets, matched, precision, recall
}

// TestEventsCutRuns: on an archive of 16 recordings where the bird sings
// every few seconds, every window scores above the threshold, and merging
// whole runs (-max-event 0, the rule before) makes one detection per
// recording and class that finds one call; the default cut at 3 s finds
// far more, and stays right. -merge=false gives the same events here
// (windows of 3 s that touch). Options out of range are usage errors naming
// the flag and the value, and so are event options given with detection
// tables, which they would not change.
func TestEventsCutRuns(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	writeArchive(t, dir, "train", 6, 700, 15, true)
	writeArchive(t, dir, "archive", 16, 2300, 15, true)
	dc(t, dir, "train", "-raven", "train").want(t, exitOK, "train")
	r := dc(t, dir, "analyze", "-db", "", "archive").want(t, exitOK, "analyze")
	if !strings.Contains(r.stdout, "(windows at score ≥ 0.5 merged (gap ≤ 0 s), cut into events of at most 3 s, each at least one window)") {
		t.Errorf("analyze does not say how it made events: %s", r.stdout)
	}

	evaluate := func(args ...string) (int, int, int, float64, float64) {
		r := dc(t, dir, append(append([]string{"evaluate", "-annotations", "archive"}, args...), "detections/scores")...).want(t, exitOK, "evaluate")
		t.Logf("evaluate %v:\n%s", args, r.stdout[strings.Index(r.stdout, "events:"):])
		return eventsAll(t, r.stdout)
	}
	calls, runs, _, _, recallRuns := evaluate("-max-event", "0")
	calls2, cut, matched, precision, recall := evaluate()
	if calls < 60 || calls2 != calls {
		t.Fatalf("%d and %d annotated calls, want the same, ≥ 60", calls, calls2)
	}
	// Whole runs: about one per recording and class sung.
	if runs > 2*16 || recallRuns > 0.35 {
		t.Errorf("whole runs: %d detections, recall %.3f; want ≤ 32 and ≤ 0.35", runs, recallRuns)
	}
	if recall < recallRuns+0.25 || precision < 0.9 || cut <= runs || matched > cut {
		t.Errorf("cut at 3 s: %d detections, %d matched, precision %.3f, recall %.3f; whole runs: recall %.3f (want +0.25, precision ≥ 0.9)",
			cut, matched, precision, recall, recallRuns)
	}
	if _, d, m, p, r := evaluate("-merge=false"); d != cut || m != matched || p != precision || r != recall {
		t.Errorf("-merge=false: %d detections, %d matched, %.3f, %.3f; cut at 3 s: %d, %d, %.3f, %.3f", d, m, p, r, cut, matched, precision, recall)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"evaluate", "-annotations", "archive", "-max-event", "-1", "detections/scores"}, "-max-event -1: want seconds ≥ 0"},
		{[]string{"evaluate", "-annotations", "archive", "-merge-gap", "-0.5", "detections/scores"}, "-merge-gap -0.5: want seconds ≥ 0"},
		{[]string{"evaluate", "-annotations", "archive", "-threshold", "1.5", "detections/scores"}, "-threshold 1.5: want a score in [0, 1]"},
		{[]string{"evaluate", "-annotations", "archive", "-split-drop", "2", "detections/scores"}, "-split-drop 2: want 0 (no split) or a score difference in [0.001, 1]"},
		{[]string{"analyze", "-split-drop", "-0.1", "archive"}, "-split-drop -0.1: want 0 (no split) or a score difference in [0.001, 1]"},
		{[]string{"analyze", "-split-drop", "1e-07", "archive"}, "-split-drop 1e-07: want 0 (no split) or a score difference in [0.001, 1]"},
		{[]string{"analyze", "-min-confidence", "1.2", "archive"}, "-min-confidence 1.2: want a score in [0, 1]"},
		{[]string{"analyze", "-max-event", "-3", "archive"}, "-max-event -3: want seconds ≥ 0"},
		// Detection tables are events already: the event flags are refused.
		{[]string{"evaluate", "-annotations", "archive", "-max-event", "4", "detections"}, "-max-event: only for scores; detections holds detection tables"},
		{[]string{"evaluate", "-annotations", "archive", "-merge=false", "-split-drop", "0.1", "detections"}, "-merge, -split-drop: only for scores"},
		{[]string{"evaluate", "-annotations", "archive", "-merge-gap", "1", "detections"}, "-merge-gap: only for scores"},
	} {
		r := dc(t, dir, c.args...).want(t, exitUsage, strings.Join(c.args, " "))
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: stderr %q, want %q", c.args, r.stderr, c.want)
		}
	}

	// An annotation table that cannot be read is logged once (the windows and
	// the events share one reading), and its recording is left out of both.
	bad := filepath.Join("archive", "siteA", "rec01.Table.1.selections.txt")
	if err := os.WriteFile(filepath.Join(dir, bad), []byte("not a selection table\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = dc(t, dir, "evaluate", "-annotations", "archive", "detections/scores").want(t, exitSomeFailed, "evaluate with a bad table")
	log, _ := os.ReadFile(filepath.Join(dir, defaultErrorLog))
	logged := 0
	for _, line := range strings.Split(string(log), "\n") {
		if strings.Contains(line, bad) {
			logged++
		}
	}
	if n := strings.Count(r.stderr, "FAILED "+bad); n != 1 || logged != 1 {
		t.Errorf("the bad table on stderr %d times, in the log %d times; want once:\n%s", n, logged, r.stderr)
	}
	if !strings.Contains(r.stderr, "archive/siteA/rec01.wav: its annotation table "+bad+" could not be read (see the error log); its detections are left out") ||
		strings.Contains(r.stderr, "rec01.wav has no annotation table") ||
		!strings.Contains(r.stdout, "75 windows of 15 annotated recordings") {
		t.Errorf("evaluate with a bad table:\n%s\n%s", r.stdout, r.stderr)
	}
	if c, _, _, _, _ := eventsAll(t, r.stdout); c >= calls {
		t.Errorf("%d calls with rec01's table unread, %d with it", c, calls)
	}
}

// TestEventsDefaultCapOverlap: analyze's default -max-event is a window plus
// one hop for a detector trained with -overlap (3 s windows every second: a
// 4 s cap, not the one window of 3 s that cut one call into a detection per
// window), and a -max-event given on the command line still wins; a cap
// shorter than a window is said to leave events of one window.
func TestEventsDefaultCapOverlap(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	writeArchive(t, dir, "train", 4, 710, 9, true)
	writeArchive(t, dir, "archive", 2, 2310, 9, true)
	dc(t, dir, "train", "-overlap", "2", "-raven", "train").want(t, exitOK, "train")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "cut into events of at most 4 s"},
		{[]string{"-max-event", "3"}, "cut into events of at most 3 s"},
		// A cap shorter than a window leaves events of one window.
		{[]string{"-max-event", "1"}, "cut into events of at most 1 s, each at least one window)"},
	} {
		args := append(append([]string{"analyze", "-db", ""}, c.args...), "archive")
		r := dc(t, dir, args...).want(t, exitOK, strings.Join(args, " "))
		if !strings.Contains(r.stdout, c.want) {
			t.Errorf("%v: stdout %q, want %q", args, r.stdout, c.want)
		}
	}
}
