// Package plots shows gonum.org/v1/plot figures the same way everywhere: inline in a
// GoNB notebook, and as files from a test or a program.
//
// [Show] is the one call lessons use. Inside a notebook it displays the figure as inline
// SVG (no JavaScript, no CDN: it renders offline and survives the HTML export); outside a
// notebook it saves the figure as SVG under [Dir] and prints the path. When the
// environment variable DAWNCHORUS_FIGURES names a directory, Show also saves every figure
// there from inside a notebook, which is how an instructor collects all the figures of a
// headless run.
//
// A figure is anything that draws itself on a canvas ([Figure]): a *plot.Plot, or a
// [Grid] of plots that share their axes' alignment. Sizes are in vg units (1 vg.Inch =
// 72 points); the default is [DefaultWidth] × [DefaultHeight].
//
// It is the one place that decides how figures look (style.go): colours from a
// colour-blind-safe [Palette] and markers from [ScatterShapes], picked by one index
// ([Color], [Shape], [Glyph], [Line]); legends beside the data area, never over it
// ([LegendOutside], [AddLegend] for long ones in columns, which goes above the data
// instead where beside it would take more than a quarter of a narrow plot's width);
// colour bars for heat maps ([ColorBar], or one for a whole grid of them:
// [SharedColorBar]); short tick labels ([Ticks]); shaded bands named in legends
// ([BandThumbnail]); SVG texts held to the widths they were laid out with, so
// that a reader's fallback font cannot push them into the data. [Encode] — and so Show and
// Save — applies [Style] to every plot it draws, so a plot built in a lesson cell with
// plain gonum calls gets the same legend placement and tick labels as one from a figure
// package.
//
// The package holds no numeric code: the packages that compute (spectrograms,
// embeddings, metrics) leave figures to a sibling package named for them — package X
// computes, X/Xplots draws (lib/audio/audioplots, lib/spectro/spectroplots,
// lib/metrics/metricsplots, lib/cnn/cnnplots, lib/fewshot/fewshotplots,
// lib/transfer/transferplots,
// whose learning curves metricsplots draws) — which returns *plot.Plot values built with
// gonum's plotters in this
// package's style, and this package shows or saves them. The one plot it builds is the
// course's common [Scatter] of a 2-D layout (lib/reduce's PCA, t-SNE or UMAP) coloured and
// shaped by class, cluster or individual, with each group's name on its main island;
// [ShowScatter] adds a tooltip per point (its file and time) that browsers, and so GoNB,
// show on hover, from plain SVG <title> elements with no JavaScript. lib/plots/plotstest
// reads texts and colours back from an SVG, for tests of a figure's structure.
package plots
