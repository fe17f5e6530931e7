package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// ravenSuffix ends the Raven tables analyze writes.
const ravenSuffix = ".selections.txt"

// detectionTables returns path when it is a Raven table analyze wrote, or the
// .selections.txt files under a folder (skipping hidden names and a scores/
// folder), sorted; none for a scores CSV or a folder of them.
func detectionTables(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		if strings.HasSuffix(path, ravenSuffix) {
			return []string{path}, nil
		}
		return nil, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "scores") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ravenSuffix) {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// evaluateDetections matches the detections in tables with the selections of
// the annotation tables under annDir (matchEvents) and prints precision,
// recall and F1 of events per class. The recordings are those named in the
// detections: an annotation table that pairs with none is a recording with no
// detection at all, and its calls count as missed (the message says so, in
// case it was never analyzed).
func evaluateDetections(e *env, tables []string, annDir, column string, minOverlap float64) int {
	var dets []detections.Detection
	for _, t := range tables {
		d, err := detections.ReadRaven(t)
		if err != nil {
			return fail(e, "evaluate", err)
		}
		dets = append(dets, d...)
	}
	files, _ := detections.ByFile(dets)
	return matchEvents(e, dets, files, false, tables, annDir, column, minOverlap)
}

// matchEvents matches dets, the detections of the recordings files, with the
// selections of the annotation tables under annDir (detections.Match, one to
// one) and prints precision, recall and F1 of events per class. An annotation
// table pairs with a recording of files (archive.PairTables). One that pairs
// with none is left out when allFiles says files are every recording analyzed
// (those without a detection included); else it is taken for a recording with
// no detection, whose calls count as missed. Tables in skip (the detection
// tables, should they sit under annDir) are not annotations.
func matchEvents(e *env, dets []detections.Detection, files []string, allFiles bool, skip []string, annDir, column string, minOverlap float64) int {
	annTables, err := archive.FindTables(annDir)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	annTables = slices.DeleteFunc(annTables, func(p string) bool { return slices.Contains(skip, p) })
	pairs, unmatched, err := archive.PairTables(files, annTables)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	var truth []detections.Detection
	annotated := map[string]bool{}
	read := func(table, file string) bool {
		sel, err := dataset.ReadRaven(table, column)
		if err != nil {
			e.errLog.add(table, err)
			return false
		}
		for _, s := range sel {
			if s.Annotation != "" {
				truth = append(truth, detections.Detection{File: file, StartSeconds: s.BeginSeconds, EndSeconds: s.EndSeconds, Label: s.Annotation})
			}
		}
		return true
	}
	for _, p := range pairs {
		if read(p.Table, p.Audio) {
			annotated[p.Audio] = true
		}
	}
	missedTables := 0
	for _, t := range unmatched {
		if allFiles {
			fmt.Fprintf(e.stderr, "evaluate: %s names no scored recording; left out\n", t)
			continue
		}
		// A recording without detections: its calls are all missed.
		if read(t, "unanalyzed or undetected:"+t) {
			missedTables++
			fmt.Fprintf(e.stderr, "evaluate: %s names no recording with detections; its calls count as missed (leave it out of -annotations if its recording was not analyzed)\n", t)
		}
	}
	var kept []detections.Detection
	for _, d := range dets {
		if annotated[d.File] {
			kept = append(kept, d)
		}
	}
	for _, f := range files {
		if !annotated[f] {
			fmt.Fprintf(e.stderr, "evaluate: %s has no annotation table under %s; its detections are left out\n", f, annDir)
		}
	}
	if len(annotated) == 0 && missedTables == 0 {
		return fail(e, "evaluate", fmt.Errorf("no annotation table under %s pairs with the detections' recordings", annDir))
	}
	matches := detections.Match(kept, truth, detections.MatchOptions{MinOverlapSeconds: minOverlap})
	var total metrics.Counts
	fmt.Fprintf(e.stdout, "%d detections against %d annotated calls in %d recordings (%d with no detection); one-to-one matching, overlap > %g s\n\n",
		len(kept), len(truth), len(annotated)+missedTables, missedTables, minOverlap)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tcalls\tdetections\tmatched\tprecision\trecall\tF1\t")
	for _, m := range matches {
		c := m.Counts
		total.TruePositives += c.TruePositives
		total.FalsePositives += c.FalsePositives
		total.FalseNegatives += c.FalseNegatives
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", m.Label, c.TruePositives+c.FalseNegatives, c.TruePositives+c.FalsePositives,
			c.TruePositives, c.Precision(), c.Recall(), c.F1())
	}
	fmt.Fprintf(tw, "all\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", total.TruePositives+total.FalseNegatives, total.TruePositives+total.FalsePositives,
		total.TruePositives, total.Precision(), total.Recall(), total.F1())
	tw.Flush()
	return exitOK
}
