// Package archive embeds an archive of recordings — folders of long field
// recordings in any format lib/audio reads — into a store of windows, file by
// file, so that a run can be killed and started again without recomputing or
// half-writing anything: what the dawnchorus command's embed and analyze do.
//
// # The pipeline
//
// Find lists the audio files under folders, recursively, in a fixed order.
// Embed then runs three stages joined by bounded channels:
//
//   - decoding workers (Options.Workers, default the number of CPUs) each
//     take a whole file, decode it block by block (audio.SplitFile), resample
//     it to the model's rate, and cut it into windows of the model's clip
//     length with Options.OverlapSeconds of overlap, by lib/audio's final-clip
//     rule;
//   - one embedding stage gathers the windows of all files into batches of
//     BatchSize (so that short files share batches) and runs the model, which
//     uses every core itself;
//   - one writing stage hands each file to the Sink, in one call (Sink.Put),
//     in the order of the files given, as soon as all of its windows and
//     every file before it are embedded, and counts it.
//
// The order of the Put calls is thus the order of the files, whatever the
// number of workers and whichever file finishes first: a store that numbers
// windows as they come (the embedding database's window ids, and with them
// lib/agile's clip numbers) numbers the same archive the same way on every
// run. Files finished while an earlier, longer one is still decoding wait in
// memory; at most 8 × Workers files are dispatched beyond the first one not
// yet written (when that many wait, the longer file's last windows are
// embedded without waiting for a full batch; otherwise batches stay full).
//
// Memory holds a bounded number of windows, never a whole recording.
//
// # Resume
//
// Before decoding a file Embed asks the Sink whether it is done (Sink.Done)
// and skips it when so. A Sink must make a file done atomically — all of its
// windows or none (the embedding database's one transaction per recording,
// embedshards' atomic files) — so that after a kill the next run sees each
// file either complete, and skips it, or absent, and embeds it again from the
// start: nothing is recomputed and nothing is half-written.
//
// A resumed run numbers the windows as an uninterrupted run does: the files
// a stopped run stored are a prefix of the files in order (a run stopped by
// an error or a cancelled context drops the complete files that waited in
// memory behind an unfinished one, rather than store them out of order), and
// the resumed run stores the rest in order after them. The embedding
// database's ids are thus those of an uninterrupted run, as long as no file
// failed in the first run and was added by a later one (a failed file is
// passed over, and a later run stores it after the files that followed it).
//
// # Failures
//
// A file that cannot be read (missing, not audio, corrupt, truncated) or that
// the Sink refuses is reported to Options.FileError with the reason and
// counted in Report.Failed; the other files go on. Embed's error is for what
// stops everything: the model failing, or the context being cancelled (then
// every file already handed to the Sink stays done; the files complete in
// memory behind an unfinished one are dropped, see Resume).
package archive
