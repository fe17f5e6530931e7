// Package lib holds no code: it documents the conventions every package under
// lib/ follows. Each package's own doc.go says what it holds.
//
// # One type per idea, in the lowest package that owns it
//
// A type is declared once, in the lowest package that needs it, and higher
// packages take it as it is rather than declaring a copy and translating:
// cnn.EmbedOptions and cnn.Pooling say how to read an embedding from any
// network (zoo.EmbedOptions is the same type, under the name a notebook reaches
// for, and embed.Options embeds it); embed.Key says where a clip comes from
// (lib/active's pools use it); a label table's rows become clips in one loader,
// dataset.LoadClips (LoadClipsNative at each file's own rate), and from there
// embeddings in embed (EmbedTable, EmbedRows) and handcrafted features in
// features (DescribeRows);
// metrics.LearningCurve is a metric against labels spent, whether active
// learning or transfer learning drew it; zoo.Info.CheckClipLength is the one
// clip-length rule and audio.Spans the one rule for a file's clips; scores
// reach lib/metrics as lib/classify gives them (float32; metrics.Score takes
// float32 or float64); labels are one type, dataset.Labels (class indices,
// Index, or 0/1 rows, Hot), which classify's classifiers and cnn.Dataset both
// take and dataset.FromTable makes from a label table's rows, never a loop of
// the caller's; its Index and Hot are, as they are, the []int and [][]int
// lib/metrics takes (metrics imports nothing).
//
// # Defaults
//
// Options are structs whose zero fields take documented defaults, written in
// brackets in the field's comment ("BatchSize ... [32]"). A package fills them
// in with one method on the options value,
//
//	func (o Options) withDefaults() Options
//
// called once where the options enter the package; the rest of the package
// reads the filled-in fields. Where a caller outside the package needs the
// filled-in values (a run record, say), the method is exported as WithDefaults
// (cnn.Config.WithDefaults, cnn.TrainOptions.WithDefaults,
// audio.SplitOptions.WithDefaults, embed.Options.WithDefaults for beam's
// shards). A method that also checks the options returns (Options, error); a
// default that depends on what the options are applied to takes it as an
// argument (withDefaults(rateHz) in features and spectro, withDefaults(n
// points) in reduce, WithDefaults(model info) in embed). Where options enter
// before what they are applied to, as classify's constructors take them before
// Fit sees the data, withDefaults() fills in what it can and forFeatures(d)
// the rest at Fit (SVM's Gamma, a forest's MaxFeatures). Defaults are never
// filled in through a pointer or read through a per-field accessor.
//
// # Layers
//
// Packages import only downward; from the bottom up, roughly: audio, spectro →
// dataset → features, cnn → zoo → embed → classify, reduce, cluster, search,
// active, transfer, fewshot. metrics sits below them all: it takes scores, not
// models, and imports none of them, so any of them may use it (cnn for its
// predicted classes and its train–validation gap, classify.CompareSplits for
// its intervals),
// and no numeric package imports plotting code: X/Xplots packages draw X's
// results.
package lib
