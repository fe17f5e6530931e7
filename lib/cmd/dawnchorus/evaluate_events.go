package main

import (
	"fmt"
	"io/fs"
	"math"
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

// evaluateDetections matches the detections in tables whose confidence is at
// least minConfidence (−Inf: all) with the selections of the annotation
// tables under annDir (matchEvents) and prints precision, recall and F1 of
// events per class. The recordings are those named in the
// detections: an annotation table that pairs with none is a recording with no
// detection at all, and its calls count as missed (the message says so, in
// case it was never analyzed).
func evaluateDetections(e *env, tables []string, annDir, column string, minOverlap, minConfidence float64) int {
	var dets []detections.Detection
	read := 0
	for _, t := range tables {
		d, err := detections.ReadRaven(t)
		if err != nil {
			return fail(e, "evaluate", err)
		}
		read += len(d)
		for _, x := range d {
			if float64(x.Confidence) >= minConfidence {
				dets = append(dets, x)
			}
		}
	}
	if !math.IsInf(minConfidence, -1) {
		fmt.Fprintf(e.stdout, "%d of the %d detections in the tables have confidence ≥ %g\n", len(dets), read, minConfidence)
	}
	files, _ := detections.ByFile(dets)
	ann, err := readAnnotationTables(e, annDir, column, files, tables)
	if err != nil {
		return fail(e, "evaluate", err)
	}
	return matchEvents(e, dets, files, false, ann, minOverlap)
}

// annotationTables are the annotation tables under a folder, paired with
// the recordings evaluated and read once.
type annotationTables struct {
	dir, column string
	// pairs are the recordings with a table (archive.PairTables' order), and
	// selections each one's selections; a recording whose table could not be
	// read (logged) has none there.
	pairs      []archive.Annotated
	selections map[string][]dataset.Selection
	// unreadable are the tables, by recording, that could not be read.
	unreadable map[string]string
	// unmatched are the tables that pair with no recording, unread.
	unmatched []string
}

// readAnnotationTables finds the Raven tables under dir but those in skip
// (the detection tables, should they sit there), pairs them with files
// (archive.PairTables) and reads each paired one, logging one that cannot
// be read.
func readAnnotationTables(e *env, dir, column string, files, skip []string) (*annotationTables, error) {
	tables, err := archive.FindTables(dir)
	if err != nil {
		return nil, err
	}
	tables = slices.DeleteFunc(tables, func(p string) bool { return slices.Contains(skip, p) })
	a := &annotationTables{dir: dir, column: column, selections: map[string][]dataset.Selection{}, unreadable: map[string]string{}}
	if a.pairs, a.unmatched, err = archive.PairTables(files, tables); err != nil {
		return nil, err
	}
	for _, p := range a.pairs {
		sel, err := dataset.ReadRaven(p.Table, column)
		if err != nil {
			e.errLog.add(p.Table, err)
			a.unreadable[p.Audio] = p.Table
			continue
		}
		a.selections[p.Audio] = sel
	}
	return a, nil
}

// noTable says why the recording file, left out, has no selections: its
// table could not be read, or it has none under the folder.
func (a *annotationTables) noTable(file string) string {
	if t, ok := a.unreadable[file]; ok {
		return fmt.Sprintf("%s: its annotation table %s could not be read (see the error log)", file, t)
	}
	return fmt.Sprintf("%s has no annotation table under %s", file, a.dir)
}

// matchEvents matches dets, the detections of the recordings files, with the
// selections of the annotation tables ann (detections.Match, one to one) and
// prints precision, recall and F1 of events per class. A table that pairs with
// no recording of files is left out when allFiles says files are every
// recording analyzed (those without a detection included); else it is taken
// for a recording with no detection, whose calls count as missed.
func matchEvents(e *env, dets []detections.Detection, files []string, allFiles bool, ann *annotationTables, minOverlap float64) int {
	var truth []detections.Detection
	annotated := map[string]bool{}
	addCalls := func(sel []dataset.Selection, file string) {
		for _, s := range sel {
			if s.Annotation != "" {
				truth = append(truth, detections.Detection{File: file, StartSeconds: s.BeginSeconds, EndSeconds: s.EndSeconds, Label: s.Annotation})
			}
		}
	}
	for _, p := range ann.pairs {
		if sel, ok := ann.selections[p.Audio]; ok {
			addCalls(sel, p.Audio)
			annotated[p.Audio] = true
		}
	}
	missedTables := 0
	for _, t := range ann.unmatched {
		if allFiles {
			fmt.Fprintf(e.stderr, "evaluate: %s names no scored recording; left out\n", t)
			continue
		}
		// A recording without detections: its calls are all missed.
		sel, err := dataset.ReadRaven(t, ann.column)
		if err != nil {
			e.errLog.add(t, err)
			continue
		}
		addCalls(sel, "unanalyzed or undetected:"+t)
		missedTables++
		fmt.Fprintf(e.stderr, "evaluate: %s names no recording with detections; its calls count as missed (leave it out of -annotations if its recording was not analyzed)\n", t)
	}
	var kept []detections.Detection
	for _, d := range dets {
		if annotated[d.File] {
			kept = append(kept, d)
		}
	}
	for _, f := range files {
		if !annotated[f] {
			fmt.Fprintf(e.stderr, "evaluate: %s; its detections are left out\n", ann.noTable(f))
		}
	}
	if len(annotated) == 0 && missedTables == 0 {
		return fail(e, "evaluate", fmt.Errorf("no annotation table under %s pairs with the detections' recordings", ann.dir))
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
