package metricsplots_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/metrics/metricsplots"
	"github.com/dawnchorus/dawnchorus/lib/plots"
)

// One ROC curve per class, labelled with its AUROC, shown with lib/plots (in a notebook:
// plots.MustShow(rocPlot, "roc")).
func ExampleROCPlot() {
	scores := [][]float64{{0.9, 0.2}, {0.3, 0.8}, {0.6, 0.4}, {0.2, 0.7}}
	labels := [][]int{{1, 0}, {0, 1}, {1, 1}, {0, 0}}
	curves, err := metrics.ROCCurves(scores, labels)
	if err != nil {
		panic(err)
	}
	aurocs, err := metrics.AUROCPerClass(scores, labels)
	if err != nil {
		panic(err)
	}
	names := make([]string, len(curves))
	for c, species := range []string{"robin", "wren"} {
		names[c] = fmt.Sprintf("%s (AUROC %.2f)", species, aurocs.PerClass[c])
	}
	rocPlot, err := metricsplots.ROCPlot(curves, names)
	if err != nil {
		panic(err)
	}
	if _, err := plots.Encode(rocPlot, "svg"); err != nil {
		panic(err)
	}
	fmt.Println(rocPlot.Title.Text+":", names)
	// Output: ROC curve: [robin (AUROC 1.00) wren (AUROC 0.75)]
}

// A single-label classifier's confusion matrix, rows normalized to recall.
func ExampleConfusionHeatmap() {
	trueClasses := []int{0, 0, 1, 1, 1, 2}
	predicted := []int{0, 1, 1, 1, 2, 2}
	matrix, err := metrics.ConfusionMatrix(trueClasses, predicted, 3)
	if err != nil {
		panic(err)
	}
	heatmap, err := metricsplots.ConfusionHeatmap(matrix, []string{"robin", "wren", "blackbird"}, true)
	if err != nil {
		panic(err)
	}
	fmt.Println(heatmap.Title.Text)
	// Output: Confusion matrix (fraction of each true class)
}
