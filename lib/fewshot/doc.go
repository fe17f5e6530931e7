// Package fewshot measures transfer learning the way the course's lecture
// tells it: a few labelled clips per class (10 by default) of species a
// pretrained network never saw, a frozen feature extractor, and a shallow
// classifier trained on its features, compared with the same classifier on
// other features of the same clips — handcrafted ones (lib/features), or the
// embedding of an untrained network of the same architecture (zoo.Untrained).
//
// Compare draws the training clips with dataset.SamplePerClass (PerClass per
// class, seeded), tests on every other clip of the candidate rows, repeats over
// several seeds, and reports each feature set's test accuracy as mean, sample
// standard deviation, minimum and maximum over the distinct draws, with the
// mean fit time and the classifier's number of weights. Comparison.Interval is
// the 95 % Student t interval on the mean over the draws, the one the tables
// print (a percentile bootstrap over five draws is too narrow; Result keeps
// one, CILow–CIHigh, for the records). Every feature set sees the same draws,
// so Comparison.Difference, a t interval on the paired differences, says
// whether two sets differ; both are clipped at the bounds of what they measure.
//
// The feature vectors of a label table's rows come from the packages that own
// them, both cached on disk: embed.EmbedRows through lib/embed's per-file
// cache (it passes absolute paths, so a program run from the repository root
// and a notebook run from notebooks/ share the cache), features.DescribeRows
// in its own cache keyed by the clip's audio bytes, its times and the options,
// since the handcrafted features of 1600 clips take minutes; fewshot keeps
// only what is few-shot.
//
// Comparison.Table and Pairs print a comparison as the lessons show it (each result's
// interval, and differences paired by draw), CompareSizes repeats Compare as the training
// set grows, and SizesTable prints that. Measure is for a model fitted on one split: its
// test accuracy with a bootstrap interval that resamples whole test recordings, and the
// paired bootstrap difference of two models on the same test clips.
//
// Correlations and HeldOutR2 ask what the features mean: how strongly each
// single dimension follows a measured quantity (F0, bandwidth), and how well
// all of them together predict it on held-out clips.
//
// lib/cmd/transfercheck runs Compare on datasets/synth-transfer and writes
// the result next to the shipped model's record (transfer.json); lesson 04a
// runs it live.
package fewshot
