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
// The package holds no numeric code: the packages that compute (spectrograms,
// embeddings, metrics) return *plot.Plot values built with gonum's plotters, and this
// package shows or saves them. The one plot it builds is the course's common
// [Scatter] of a 2-D layout (lib/reduce's PCA, t-SNE or UMAP) coloured by class,
// cluster or individual in a colour-blind-friendly [Palette]; [ShowScatter] adds a
// tooltip per point (its file and time) that browsers, and so GoNB, show on hover, from
// plain SVG <title> elements with no JavaScript.
package plots
