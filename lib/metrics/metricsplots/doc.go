// Package metricsplots draws the results of package metrics as gonum plots: ROC and
// precision-recall curves, a confusion-matrix heat map, a reliability diagram and score
// histograms per class.
//
// Every function takes values computed by lib/metrics (or the same scores and labels they
// take) and returns *plot.Plot values with a title, axis labels and, where one is needed, a
// legend or a colour bar, which lib/plots draws beside the data (a long legend in a narrow
// plot, as of learning curves or score histograms in a Grid, above it); nothing is computed here
// that the metrics package does not already test, and nothing is shown or saved: pass the
// plots to lib/plots (plots.Show, plots.Save, plots.Grid). This keeps drawing out of the
// numeric package, as DESIGN.md asks, and follows the course's rule for figures: package X
// computes, X/Xplots draws.
//
// Axes hold rates and probabilities in [0, 1], drawn on [0, 1] so that plots of different
// models compare at a glance. Class names label the curves; when names is nil the classes
// are called "class 0", "class 1", ….
//
// A class whose curve is undefined (the ROC curve of a class with no positives or no
// negatives holds NaN rates) is left out of the plot and named in its legend as
// "(undefined)", so that the gap is visible rather than silent.
package metricsplots
