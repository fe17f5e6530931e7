// Package activeui is the notebook side of lib/active: NotebookOracle, with which a
// person answers the loop's questions inside a GoNB notebook. The figure of labels spent
// against accuracy that compares selection strategies is lib/metrics/metricsplots's (LearningCurves).
//
// NotebookOracle shows each clip as a card: where it comes from (file, start–end in
// seconds), its spectrogram (dB magnitude, drawn by lib/spectro/spectroplots and embedded as SVG),
// an HTML5 audio player with the clip embedded as a 16-bit WAV data URI (so it plays
// offline and survives the notebook's HTML export), and one button per answer: Yes /
// No / Unsure, or one per class name and Unsure. It waits for a click, then replaces the
// card with a one-line record of the answer followed by the clip's audio player, so a
// finished cell keeps a short log in which every clip can still be replayed, as a labelling
// tool lets one check an answer (the spectrogram and buttons go; each kept player is the
// clip's WAV again, about 180 KB of base64 for 3 s at 22 kHz, in the saved notebook).
//
// The buttons reach the program through GoNB's comms (gonb_comm in the page). The page
// can lose its end — GoNB's acknowledgement of a new connection is sometimes lost while
// a cell runs, or the page is reloaded — so while it waits Label has GoNB check the page
// every 2 s, which installs a new gonb_comm where needed; the buttons use whichever is
// there at the click, and the card's status line asks to click again when a click got
// no reply. lib/course/cmd/servecheck (part of `make test`) clicks the widget through a live
// Jupyter server and GoNB kernel, including a lost acknowledgement.
//
// Outside a notebook (gonbui.IsNotebook false: a test, a program, a headless run)
// NotebookOracle does not wait: Label returns ErrNotNotebook, telling the caller to use
// active.SimulatedOracle. Inside a notebook executed headlessly (nbconvert) no browser
// answers; pass Label a context with a deadline, or guard the cell, so it does not wait
// forever.
//
// This package imports gonbui; the cards' spectrograms are drawn by
// lib/spectro/spectroplots (the course's rule: X computes, X/Xplots draws, and a widget
// only lays out), so it imports no plotting code itself. lib/active, which it serves,
// imports neither.
package activeui
