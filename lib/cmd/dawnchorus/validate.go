package main

import (
	"context"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/detector"
)

func runValidate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "validate", "[flags]   (draw a sample to check)\n       dawnchorus validate -answers SAMPLE.csv [-threshold T]   (estimate from the answers)")
	detDir := fs.String("detector", "detector", "the detector whose scores to validate (written by 'dawnchorus train')")
	dbPath := fs.String("db", defaultDB, "the embedding database whose windows the detector scores")
	class := fs.String("class", "", "the detector's class to validate (default: its only one)")
	n := fs.Int("n", 24, "windows to draw")
	strata := fs.Int("strata", 4, "score strata, about n/strata windows drawn from each")
	strataBy := fs.String("strata-by", "width", "how to cut the scores into strata: width (equal-width bins of [0, 1]: the rare high\n"+
		"scores are always checked) or quantiles (about as many windows in each: spread over\nthe archive's own scores, "+
		"and fewer strata where many scores tie)")
	seed := fs.Uint64("seed", 1, "seed of the draw")
	out := fs.String("out", "validation.csv", "the worksheet to write: one row per window, the last column for the answers")
	answers := fs.String("answers", "", "a worksheet with its answers filled in: estimate precision, density and recall from it")
	threshold := fs.Float64("threshold", 0.5, "with -answers: the score at or above which a window counts as a detection")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		return usageErr(e, fs, "takes no arguments")
	}
	if *answers != "" {
		if code, ok := refuseGiven(e, fs, "only for drawing a sample; -answers estimates from a worksheet drawn already",
			"detector", "db", "class", "n", "strata", "strata-by", "seed", "out"); !ok {
			return code
		}
		return estimateFromAnswers(e, *answers, *threshold)
	}
	if code, ok := refuseGiven(e, fs, "only with -answers (the sample drawn does not depend on a threshold)", "threshold"); !ok {
		return code
	}
	if *n <= 0 || *strata <= 0 {
		return usageErr(e, fs, "-n %d -strata %d: want both at least 1", *n, *strata)
	}
	by, err := agile.ParseStratification(*strataBy)
	if err != nil {
		return usageErr(e, fs, "-strata-by: %v", err)
	}
	det, err := detector.Load(*detDir)
	if err != nil {
		return fail(e, "validate", err)
	}
	c := slices.Index(det.Config.Classes, *class)
	switch {
	case *class == "" && len(det.Config.Classes) == 1:
		c, *class = 0, det.Config.Classes[0]
	case *class == "":
		return usageErr(e, fs, "%s has classes %v: choose one with -class", *detDir, det.Config.Classes)
	case c < 0:
		return usageErr(e, fs, "-class %q: %s has classes %v", *class, *detDir, det.Config.Classes)
	}
	db, err := openExistingDB(e, *dbPath)
	if err != nil {
		return fail(e, "validate", err)
	}
	defer db.Close()
	m, ok, err := db.FindModel(det.Config.Extractor, det.Config.Settings)
	if err != nil {
		return fail(e, "validate", err)
	}
	if !ok {
		return fail(e, "validate", fmt.Errorf("%s holds no windows of %s with the detector's settings: embed the archive with them first", *dbPath, det.Config.Extractor))
	}
	// The windows are scored a batch at a time and only their keys and scores
	// kept: an archive's embeddings need not fit in memory.
	a, scores, err := agile.OpenScored(db, m, 0, agile.ClassScores(det.Classifier, c))
	if err != nil {
		return fail(e, "validate", err)
	}
	exclude := map[string]bool{}
	if rec := det.Config.Annotations; rec != nil {
		for _, f := range rec.TrainingFiles {
			exclude[f] = true
		}
	} else {
		fmt.Fprintf(e.stderr, "validate: %s records no training recordings (trained from %s): if any of them is in %s, its windows may be drawn\n", *detDir, det.Config.Source, *dbPath)
	}
	s, err := a.ValidateSample(scores, agile.SampleOptions{N: *n, Strata: *strata, By: by, Exclude: exclude, Seed: *seed})
	if err != nil {
		return fail(e, "validate", err)
	}
	if err := s.WriteCSV(*out, *class); err != nil {
		return fail(e, "validate", err)
	}
	total := 0
	for _, w := range s.Windows {
		total += w
	}
	fmt.Fprintf(e.stdout, "drew %d of %d windows, stratified by the score of %q (%d recordings that trained the detector left out), into %s:\n",
		len(s.Rows), total, *class, len(exclude), *out)
	printStrata(e, s, nil)
	fmt.Fprintf(e.stdout, "listen to each window and fill the %q column (1 yes, 0 no, ? unsure), or answer on the terminal:\n", *class)
	fmt.Fprintf(e.stdout, "  dawnchorus label -label %s -interactive %s\nthen estimate the precision:\n  dawnchorus validate -answers %s\n", *class, *out, *out)
	return exitOK
}

// printStrata prints the strata: score range, windows, draws and (with
// answers) the answers and their yeses.
func printStrata(e *env, s *agile.ValidationSample, answers []active.Answer) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	if answers == nil {
		fmt.Fprintln(tw, "  score\twindows\tdrawn")
	} else {
		fmt.Fprintln(tw, "  score\twindows\tdrawn\tanswered\tyes")
	}
	drawn := make([]int, len(s.Windows))
	for _, r := range s.Rows {
		drawn[r.Stratum]++
	}
	answered, yes := make([]int, len(s.Windows)), make([]int, len(s.Windows))
	for j, ans := range answers {
		h := s.Rows[j].Stratum
		if ans == active.Yes || ans == active.No {
			answered[h]++
		}
		if ans == active.Yes {
			yes[h]++
		}
	}
	for h, w := range s.Windows {
		fmt.Fprintf(tw, "  %.2f–%.2f\t%d\t%d", s.Edges[h], s.Edges[h+1], w, drawn[h])
		if answers != nil {
			fmt.Fprintf(tw, "\t%d\t%d", answered[h], yes[h])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// estimateFromAnswers reads a filled worksheet and prints the estimates.
func estimateFromAnswers(e *env, path string, threshold float64) int {
	if !(threshold >= 0 && threshold <= 1) {
		return fail(e, "validate", fmt.Errorf("-threshold %g: want a score in [0, 1]", threshold))
	}
	s, label, answers, err := agile.ReadValidationCSV(path)
	if err != nil {
		return fail(e, "validate", err)
	}
	est, err := s.Estimate(answers, threshold)
	if err != nil {
		return fail(e, "validate", err)
	}
	if est.Answered == 0 {
		return fail(e, "validate", fmt.Errorf("%s: no window has a yes or no answer yet: fill its %q column (1 yes, 0 no, ? unsure)", path, label))
	}
	fmt.Fprintf(e.stdout, "%s: %q\n", path, label)
	printStrata(e, s, answers)
	fmt.Fprintln(e.stdout, est)
	return exitOK
}
