package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// readScores reads a scores CSV, or every scores CSV under a folder
// (analyze's OUT/scores), into one table.
func readScores(path string) (*detections.Scores, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return detections.ReadScoresCSV(path)
	}
	var all *detections.Scores
	err = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".csv") || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		s, err := detections.ReadScoresCSV(p)
		if err != nil {
			return err
		}
		if all == nil {
			all = &detections.Scores{Classes: s.Classes}
		} else if strings.Join(all.Classes, ",") != strings.Join(s.Classes, ",") {
			return fmt.Errorf("%s: classes %v, other tables have %v", p, s.Classes, all.Classes)
		}
		return all.Append(s.Keys, s.Values)
	})
	if err != nil {
		return nil, err
	}
	if all == nil {
		return nil, fmt.Errorf("%s: no scores tables (.csv)", path)
	}
	return all, nil
}

func runEvaluate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "evaluate", "[flags] -annotations FOLDER SCORES_OR_TABLES\n"+
		"  SCORES: analyze's OUT/scores folder, or a scores CSV: every window scored (AP, AUROC; precision, recall, F1 at -threshold),\n"+
		"  then events: windows at or above -threshold made into events as analyze makes them (-merge, -merge-gap, -max-event,\n"+
		"  -split-drop), matched one to one with annotated calls.\n"+
		"  TABLES: analyze's Raven selection tables (a .selections.txt file, or a folder of them such as analyze's OUT):\n"+
		"  detections matched one to one with annotated calls (precision, recall, F1 of events); with -threshold, only the\n"+
		"  detections whose confidence (an event's highest window score) is at or above it (a table holds only what analyze\n"+
		"  kept at its -min-confidence: a lower -threshold keeps them all).")
	annDir := fs.String("annotations", "", "folder of Raven selection tables, each named after its recording")
	column := fs.String("column", "Annotation", "the tables' annotation column")
	threshold := fs.Float64("threshold", 0.5, "score at and above which a window counts as a detection, for precision, recall and F1 "+
		"(TABLES: when given, the lowest confidence of the detections kept, compared with the confidence as the table writes it, "+
		"to 4 decimals in Raven tables; default: all of them)")
	minOverlap := fs.Float64("min-overlap", 0, "seconds a selection must overlap a window to make it positive, or a detection to match it (0: any overlap)")
	events := addEventFlags(fs, "-threshold", 0, "analyze's: one window when windows do not overlap, else a window plus one hop, "+
		"the window and hop read from the scores' starts and ends (when they are irregular: 3 s, said on stderr)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 || *annDir == "" {
		return usageErr(e, fs, "give -annotations FOLDER and one scores or tables folder or file")
	}
	tables, err := detectionTables(fs.Arg(0))
	if err != nil {
		return fail(e, "evaluate", err)
	}
	if len(tables) > 0 {
		// The tables' detections are events already: the event flags would
		// change nothing.
		if code, ok := refuseGiven(e, fs, fmt.Sprintf("only for scores; %s holds detection tables, whose detections are events already", fs.Arg(0)),
			"merge", "merge-gap", "max-event", "split-drop"); !ok {
			return code
		}
		minConfidence := math.Inf(-1) // every detection
		if len(given(fs, "threshold")) > 0 {
			if !(*threshold >= 0 && *threshold <= 1) {
				return usageErr(e, fs, "-threshold %g: want a score in [0, 1]", *threshold)
			}
			minConfidence = *threshold
		}
		return evaluateDetections(e, tables, *annDir, *column, *minOverlap, minConfidence)
	}
	dOpts, code, ok := events.options(e, fs, *threshold)
	if !ok {
		return code
	}
	scores, err := readScores(fs.Arg(0))
	if err != nil {
		return fail(e, "evaluate", err)
	}
	grid := ""
	if !maxEventGiven(fs) {
		dOpts.MaxEventSeconds, grid = maxEventFromScores(e, scores)
	}
	// The scored recordings, by path, in order.
	var files []string
	rowsOf := map[string][]int{}
	for i, k := range scores.Keys {
		if _, ok := rowsOf[k.File]; !ok {
			files = append(files, k.File)
		}
		rowsOf[k.File] = append(rowsOf[k.File], i)
	}
	ann, err := readAnnotationTables(e, *annDir, *column, files, nil)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	var x [][]float64
	var y [][]int
	evaluated := 0
	annotated := map[string]bool{}
	for _, p := range ann.pairs {
		annotated[p.Audio] = true
		sel, ok := ann.selections[p.Audio]
		if !ok {
			continue
		}
		rows := rowsOf[p.Audio]
		spans := make([]dataset.Span, len(rows))
		for j, r := range rows {
			spans[j] = dataset.Span{StartSeconds: scores.Keys[r].StartSeconds, EndSeconds: scores.Keys[r].EndSeconds}
		}
		lab := dataset.ClipLabels(p.Audio, spans, sel, dataset.OverlapOptions{MinOverlapSeconds: *minOverlap, Classes: scores.Classes})
		for j, r := range rows {
			xs := make([]float64, len(scores.Classes))
			for c, v := range scores.Values[r] {
				xs[c] = float64(v)
			}
			x, y = append(x, xs), append(y, lab.Rows[j].Labels)
		}
		evaluated++
	}
	for _, f := range files {
		if !annotated[f] {
			fmt.Fprintf(e.stderr, "evaluate: %s; left out\n", ann.noTable(f))
		}
	}
	if len(x) == 0 {
		return fail(e, "evaluate", fmt.Errorf("no scored recording has an annotation table under %s", *annDir))
	}
	ap, err := metrics.AveragePrecisionPerClass(x, y)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	roc, err := metrics.AUROCPerClass(x, y)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	at, err := metrics.AtThresholdPerClass(x, y, *threshold)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	fmt.Fprintf(e.stdout, "%d windows of %d annotated recordings; precision, recall and F1 at score ≥ %g\n\n", len(x), evaluated, *threshold)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tpositives\tAP\tAUROC\tprecision\trecall\tF1\t")
	for c, name := range scores.Classes {
		r := at.PerClass[c]
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.3f\t%.3f\t%.3f\t\n", name, ap.Positives[c], num(ap.PerClass[c]), num(roc.PerClass[c]), r.Precision, r.Recall, r.F1)
	}
	fmt.Fprintf(tw, "macro\t\t%s\t%s\t%.3f\t%.3f\t%.3f\t\n", num(ap.CMAP), num(roc.Macro), at.MacroPrecision, at.MacroRecall, at.MacroF1)
	tw.Flush()
	fmt.Fprintln(e.stdout, "\nAP macro is cmAP (classes with a positive); AUROC macro averages the classes with positives and negatives")
	// Events, matched one to one: a call found by several events (one
	// window each by default) counts once, the other events as false
	// positives, and an event overlapping two calls finds one.
	dets, err := detections.Detect(scores, dOpts)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	var annotatedFiles []string
	for _, f := range files {
		if annotated[f] {
			annotatedFiles = append(annotatedFiles, f)
		}
	}
	fmt.Fprintf(e.stdout, "\nevents: %s%s\n", describeEvents(dOpts), grid)
	return matchEvents(e, dets, annotatedFiles, true, ann, *minOverlap)
}

// maxEventFromScores returns analyze's default -max-event for the windows of
// scores (defaultMaxEvent), their length and hop read by
// detections.WindowGrid, and says so in words; when the windows are
// irregular, it says why on stderr and returns defaultMaxEventSeconds.
func maxEventFromScores(e *env, scores *detections.Scores) (float64, string) {
	window, hop, err := detections.WindowGrid(scores.Keys)
	if err != nil {
		fmt.Fprintf(e.stderr, "evaluate: %v; -max-event is %g s (give it to choose)\n", err, float64(defaultMaxEventSeconds))
		return defaultMaxEventSeconds, ""
	}
	if hop == 0 { // one window per recording: every event is one window
		return window, fmt.Sprintf(" (windows of %g s, one per recording)", window)
	}
	return defaultMaxEvent(window, window-hop), fmt.Sprintf(" (windows of %g s every %g s, read from the scores)", window, hop)
}

// num writes a metric, "-" when undefined.
func num(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.3f", x)
}
