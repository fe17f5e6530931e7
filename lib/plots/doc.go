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
// The package draws nothing itself and holds no numeric code: the packages that compute
// (spectrograms, embeddings, metrics) return *plot.Plot values built with gonum's
// plotters, and this package only shows or saves them.
package plots
