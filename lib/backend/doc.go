// Package backend picks the GoMLX engine that runs every graph in dawnchorus: the
// computations that train a CNN, embed clips or fit a shallow classifier.
//
// The choice, made once per process by [New], follows a fixed order:
//
//  1. $GOMLX_BACKEND, when set, is obeyed as it is (for example "go", "xla:cpu" or
//     "xla:cuda"), the same configuration string GoMLX itself reads.
//  2. Else GoMLX's XLA engine, when a PJRT plugin is already installed on this machine
//     (found through PJRT_PLUGIN_LIBRARY_PATH, /usr/local/lib/go-xla,
//     ~/.local/lib/go-xla or the system's library path).
//  3. Else the pure-Go engine "purego" (lib/backend/purego): GoMLX's simplego completed
//     with the ops training needs (convolution and pooling gradients, batch
//     normalization, padding) and sped up, which needs nothing installed and works offline.
//
// The package never downloads anything and never waits on the network: GoMLX's
// automatic PJRT download is switched off when this package is imported. It reports
// in one line which engine it picked and why ([Choice.String]), so a notebook, a test
// log or a training record always says what ran the numbers. In a GoNB notebook, where
// every cell is a program of its own, the line is printed once per kernel session (and
// again when the engine changes), not by every cell that trains or embeds.
//
// # Builds without cgo
//
// XLA's bindings need cgo; the pure-Go engines do not. A build with CGO_ENABLED=0
// (or the build tag noxla) leaves XLA out (xla_off.go): [XLAAvailable] is false,
// step 2 never applies and $GOMLX_BACKEND=xla:… is an error from [New]. Such a
// build is one static binary, which is what the Apache Beam pipeline (beam/) ships
// to its workers. Normal builds keep XLA.
package backend
