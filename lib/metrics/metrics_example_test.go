package metrics_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Of the four (positive, negative) pairs, three are ranked right and one is a tie, which
// counts one half: AUROC = 3.5 / 4.
func ExampleAUROC() {
	scores := []float64{0.9, 0.6, 0.6, 0.2}
	labels := []int{1, 1, 0, 0}
	auroc, err := metrics.AUROC(scores, labels)
	if err != nil {
		panic(err)
	}
	fmt.Printf("AUROC %.3f\n", auroc)
	// Output: AUROC 0.875
}

// The ROC curve of the sklearn documentation's example, with its thresholds.
func ExampleROCCurve() {
	roc, err := metrics.ROCCurve([]float64{0.1, 0.4, 0.35, 0.8}, []int{0, 0, 1, 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("FPR", roc.FalsePositiveRate)
	fmt.Println("TPR", roc.TruePositiveRate)
	fmt.Println("thresholds", roc.Thresholds)
	// Output:
	// FPR [0 0 0.5 0.5 1]
	// TPR [0 0.5 0.5 1 1]
	// thresholds [+Inf 0.8 0.4 0.35 0.1]
}

// Macro mAP counts a class with no positive clips as 0; cmAP leaves it out.
func ExampleAveragePrecisionPerClass() {
	scores := [][]float64{
		{0.9, 0.1, 0.3},
		{0.2, 0.8, 0.4},
		{0.7, 0.6, 0.2},
		{0.1, 0.3, 0.1},
	}
	labels := [][]int{ // the third class never occurs
		{1, 0, 0},
		{0, 1, 0},
		{1, 0, 0},
		{0, 1, 0},
	}
	aps, err := metrics.AveragePrecisionPerClass(scores, labels)
	if err != nil {
		panic(err)
	}
	fmt.Printf("per class %.3f, positives %v\n", aps.PerClass, aps.Positives)
	fmt.Printf("macro mAP %.3f, cmAP %.3f\n", aps.MacroMAP, aps.CMAP)
	// Output:
	// per class [1.000 0.833 0.000], positives [2 2 0]
	// macro mAP 0.611, cmAP 0.917
}

func ExampleAtBestF1() {
	scores := []float64{0.95, 0.8, 0.7, 0.55, 0.4, 0.1}
	labels := []int{1, 1, 0, 1, 0, 0}
	best, err := metrics.AtBestF1(scores, labels)
	if err != nil {
		panic(err)
	}
	fmt.Printf("threshold %.2f: precision %.2f, recall %.2f, F1 %.3f\n", best.Threshold, best.Precision, best.Recall, best.F1)
	// Output: threshold 0.55: precision 0.75, recall 1.00, F1 0.857
}

func ExampleTopKAccuracy() {
	scores := [][]float64{
		{0.5, 0.3, 0.2}, // true class 0: first
		{0.5, 0.3, 0.2}, // true class 1: second
		{0.5, 0.3, 0.2}, // true class 2: third
	}
	classes := []int{0, 1, 2}
	for k := 1; k <= 3; k++ {
		accuracy, err := metrics.TopKAccuracy(scores, classes, k)
		if err != nil {
			panic(err)
		}
		fmt.Printf("top-%d %.3f\n", k, accuracy)
	}
	// Output:
	// top-1 0.333
	// top-2 0.667
	// top-3 1.000
}

func ExampleConfusionMatrix() {
	trueClasses := []int{0, 0, 1, 1, 2}
	predicted := []int{0, 1, 1, 1, 0}
	matrix, err := metrics.ConfusionMatrix(trueClasses, predicted, 3)
	if err != nil {
		panic(err)
	}
	for _, row := range matrix {
		fmt.Println(row)
	}
	// Output:
	// [1 1 0]
	// [0 2 0]
	// [1 0 0]
}

// Clips given 0.8 are positive only half the time: the model is over-confident there.
func ExampleReliability() {
	probabilities := []float64{0.1, 0.1, 0.8, 0.8, 0.8, 0.8}
	labels := []int{0, 0, 1, 1, 0, 0}
	curve, err := metrics.Reliability(probabilities, labels, 5)
	if err != nil {
		panic(err)
	}
	for _, b := range curve.Bins {
		fmt.Printf("bin (%.1f, %.1f]: %d clips, mean probability %.2f, fraction positive %.2f\n",
			b.Lower, b.Upper, b.Count, b.MeanProbability, b.FractionPositive)
	}
	fmt.Printf("ECE %.3f\n", curve.ECE)
	// Output:
	// bin (0.0, 0.2]: 2 clips, mean probability 0.10, fraction positive 0.00
	// bin (0.6, 0.8]: 4 clips, mean probability 0.80, fraction positive 0.50
	// ECE 0.233
}

// A confidence interval on AUROC, resampling whole recordings: clips cut from one recording
// share its background and are not independent.
func ExampleBootstrap() {
	scores := []float64{0.9, 0.4, 0.35, 0.7, 0.5, 0.2, 0.6, 0.1}
	labels := []int{1, 1, 0, 1, 0, 0, 1, 0}
	recordings := []string{"a.wav", "a.wav", "a.wav", "b.wav", "b.wav", "c.wav", "c.wav", "c.wav"}
	auroc := func(clips []int) (float64, error) {
		return metrics.AUROC(metrics.Rows(scores, clips), metrics.Rows(labels, clips))
	}
	interval, err := metrics.Bootstrap(len(scores), auroc, metrics.BootstrapConfig{
		Resamples: 200, Seed: 1, Groups: recordings})
	if err != nil {
		panic(err)
	}
	fmt.Printf("AUROC %.2f, %.0f%% interval [%.2f, %.2f]\n", interval.Estimate, 100*interval.Level, interval.Lower, interval.Upper)
	// Output: AUROC 0.94, 95% interval [0.83, 1.00]
}
