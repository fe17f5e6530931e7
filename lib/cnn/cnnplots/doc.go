// Package cnnplots draws what lib/cnn's training records as gonum plots: the
// training and validation loss and accuracy against the step, the curves that
// show whether a network learns, has stopped learning, or has begun to
// memorise its training set (training accuracy up, validation accuracy flat or
// down: overfitting); and the images a network's front end makes (Image,
// ImageGrid), on the one colour scale 0 to 1, so that an image and its
// augmented versions compare colour for colour.
//
// It returns *plot.Plot values and shows nothing: pass them to lib/plots
// (plots.Show, plots.Grid). It is kept apart from lib/cnn so that the numeric
// package never imports plotting code. Accuracy is drawn on [0, 1], so that
// the curves of two runs compare at a glance; loss axes start at 0.
package cnnplots
