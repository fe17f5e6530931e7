package metrics

import (
	"fmt"
	"strings"
)

// ScoreMetric is a metric of a single-label classifier's scores on some clips: scores holds
// one row of class scores per clip (probabilities, or any score where higher means more
// likely), classes each clip's true class index. The functions below and Accuracy[float64]
// are ScoreMetrics; ScoreInterval bootstraps any of them.
type ScoreMetric func(scores [][]float64, classes []int) (float64, error)

// NamedMetric is a ScoreMetric with the name a table prints for it.
type NamedMetric struct {
	Name   string
	Metric ScoreMetric
}

// TopK returns the ScoreMetric "the true class is among the k highest scores"
// ([TopKAccuracy]).
func TopK(k int) ScoreMetric {
	return func(scores [][]float64, classes []int) (float64, error) {
		return TopKAccuracy(scores, classes, k)
	}
}

// MacroF1 is the mean over classes of F1 when each clip is called its highest-scoring
// class ([SingleLabelReport]'s MacroF1).
func MacroF1(scores [][]float64, classes []int) (float64, error) {
	report, err := SingleLabelReport(scores, classes)
	return report.MacroF1, err
}

// ECE returns the ScoreMetric "expected calibration error of the top label with bins
// bins" ([TopLabelReliability]): lower is better.
func ECE(bins int) ScoreMetric {
	return func(scores [][]float64, classes []int) (float64, error) {
		curve, err := TopLabelReliability(scores, classes, bins)
		return curve.ECE, err
	}
}

// MacroAUROC is the mean over classes of each class's AUROC, one class against the others
// ([AUROCPerClass]'s Macro; every column of scores is a class).
func MacroAUROC(scores [][]float64, classes []int) (float64, error) {
	a, err := aurocsOf(scores, classes)
	return a.Macro, err
}

// MicroAUROC is the AUROC of every (clip, class) pair pooled into one problem
// ([AUROCPerClass]'s Micro).
func MicroAUROC(scores [][]float64, classes []int) (float64, error) {
	a, err := aurocsOf(scores, classes)
	return a.Micro, err
}

// MacroMAP is the mean over every class of its average precision, 0 for a class without
// a clip ([AveragePrecisionPerClass]'s MacroMAP): a class missing from the clips pulls it
// down.
func MacroMAP(scores [][]float64, classes []int) (float64, error) {
	ap, err := averagePrecisionsOf(scores, classes)
	return ap.MacroMAP, err
}

// CMAP is BirdCLEF's class-wise mAP: the mean average precision over the classes present
// in the clips only ([AveragePrecisionPerClass]'s CMAP).
func CMAP(scores [][]float64, classes []int) (float64, error) {
	ap, err := averagePrecisionsOf(scores, classes)
	return ap.CMAP, err
}

// MicroAP is the average precision of every (clip, class) pair pooled into one problem
// ([AveragePrecisionPerClass]'s Micro).
func MicroAP(scores [][]float64, classes []int) (float64, error) {
	ap, err := averagePrecisionsOf(scores, classes)
	return ap.Micro, err
}

// aurocsOf is AUROCPerClass on classes made one-hot over the columns of scores.
func aurocsOf(scores [][]float64, classes []int) (AUROCs, error) {
	hot, err := oneHotOver(scores, classes)
	if err != nil {
		return AUROCs{}, err
	}
	return AUROCPerClass(scores, hot)
}

// averagePrecisionsOf is AveragePrecisionPerClass on classes made one-hot over the columns
// of scores.
func averagePrecisionsOf(scores [][]float64, classes []int) (AveragePrecisions, error) {
	hot, err := oneHotOver(scores, classes)
	if err != nil {
		return AveragePrecisions{}, err
	}
	return AveragePrecisionPerClass(scores, hot)
}

// oneHotOver makes classes one-hot with as many columns as scores has.
func oneHotOver(scores [][]float64, classes []int) ([][]int, error) {
	numClasses, err := checkSingleLabel(scores, classes)
	if err != nil {
		return nil, err
	}
	return OneHot(classes, numClasses)
}

// ScoreInterval returns a bootstrap confidence interval ([Bootstrap]) on metric over the
// clips of scores and classes: each resample draws clips (or, with config.Groups, whole
// groups such as recordings) and computes metric on the scores and classes of the clips
// drawn.
func ScoreInterval(metric ScoreMetric, scores [][]float64, classes []int, config BootstrapConfig) (Interval, error) {
	if len(scores) != len(classes) {
		return Interval{}, fmt.Errorf("metrics: score interval: %d rows of scores for %d classes, want one per clip", len(scores), len(classes))
	}
	return Bootstrap(len(classes), func(clips []int) (float64, error) {
		return metric(Rows(scores, clips), Rows(classes, clips))
	}, config)
}

// MustScoreInterval is [ScoreInterval] for notebooks: it panics on error.
func MustScoreInterval(metric ScoreMetric, scores [][]float64, classes []int, config BootstrapConfig) Interval {
	ci, err := ScoreInterval(metric, scores, classes, config)
	if err != nil {
		panic(err)
	}
	return ci
}

// ScoreDifferenceInterval returns a paired bootstrap confidence interval on metric(a) −
// metric(b), two classifiers' scores on the same clips (whose true classes are classes):
// every resample draws the same clips for both and subtracts. Clips both get right or both
// get wrong cancel, so the interval is narrower than the two metrics' own intervals
// suggest, and one that holds 0 means the clips cannot tell the two apart.
func ScoreDifferenceInterval(metric ScoreMetric, a, b [][]float64, classes []int, config BootstrapConfig) (Interval, error) {
	if len(a) != len(classes) || len(b) != len(classes) {
		return Interval{}, fmt.Errorf("metrics: score difference interval: %d and %d rows of scores for %d classes, want one per clip in both", len(a), len(b), len(classes))
	}
	return Bootstrap(len(classes), func(clips []int) (float64, error) {
		y := Rows(classes, clips)
		va, err := metric(Rows(a, clips), y)
		if err != nil {
			return 0, err
		}
		vb, err := metric(Rows(b, clips), y)
		return va - vb, err
	}, config)
}

// MustScoreDifferenceInterval is [ScoreDifferenceInterval] for notebooks: it panics on
// error.
func MustScoreDifferenceInterval(metric ScoreMetric, a, b [][]float64, classes []int, config BootstrapConfig) Interval {
	ci, err := ScoreDifferenceInterval(metric, a, b, classes, config)
	if err != nil {
		panic(err)
	}
	return ci
}

// ScoreTable returns a text table of metric intervals: one line per metric, one column
// per model, each cell the metric's ScoreInterval on that model's scores (scores[m] for
// models[m]) with config, as Interval.String writes it ("0.995 [0.985, 1.000]"). Every
// model is scored on the same clips, whose true classes are classes.
func ScoreTable(named []NamedMetric, models []string, scores [][][]float64, classes []int, config BootstrapConfig) (string, error) {
	if len(scores) != len(models) {
		return "", fmt.Errorf("metrics: score table: %d models named for %d sets of scores", len(models), len(scores))
	}
	width := len("metric")
	for _, n := range named {
		width = max(width, len([]rune(n.Name)))
	}
	width = max(width+2, 16)
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", width, "metric")
	for _, name := range models {
		fmt.Fprintf(&b, "  %-22s", name)
	}
	b.WriteString("\n")
	for _, n := range named {
		fmt.Fprintf(&b, "%-*s", width, n.Name)
		for m, name := range models {
			ci, err := ScoreInterval(n.Metric, scores[m], classes, config)
			if err != nil {
				return "", fmt.Errorf("metrics: score table, %s of %s: %w", n.Name, name, err)
			}
			fmt.Fprintf(&b, "  %-22s", ci)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// MustScoreTable is [ScoreTable] for notebooks: it panics on error.
func MustScoreTable(named []NamedMetric, models []string, scores [][][]float64, classes []int, config BootstrapConfig) string {
	table, err := ScoreTable(named, models, scores, classes, config)
	if err != nil {
		panic(err)
	}
	return table
}
