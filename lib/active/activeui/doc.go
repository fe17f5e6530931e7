// Package activeui is the notebook side of lib/active: NotebookOracle, with which a
// person answers the loop's questions inside a GoNB notebook, and PlotCurves, the
// figure of labels spent against accuracy that compares selection strategies.
//
// NotebookOracle shows each clip as a card: where it comes from (file, start–end in
// seconds), its spectrogram (dB magnitude, drawn by lib/spectro and embedded as SVG),
// an HTML5 audio player with the clip embedded as a 16-bit WAV data URI (so it plays
// offline and survives the notebook's HTML export), and one button per answer: Yes /
// No / Unsure, or one per class name and Unsure. It waits for a click, then replaces the
// card with a one-line record of the answer, so a finished cell keeps a short log.
//
// Outside a notebook (gonbui.IsNotebook false: a test, a program, a headless run)
// NotebookOracle does not wait: Label returns ErrNotNotebook, telling the caller to use
// active.SimulatedOracle. Inside a notebook executed headlessly (nbconvert) no browser
// answers; pass Label a context with a deadline, or guard the cell, so it does not wait
// forever.
//
// This package imports gonbui and gonum/plot; lib/active, which it serves, imports
// neither.
package activeui
