// Package dataset holds the labels of a bioacoustic data set and turns them into
// what training needs: label tables, clip labels from annotations, splits,
// small samples and the labels of examples (Labels).
//
//   - Label tables use OpenSoundscape's CSV form: a header
//     `file,start_time,end_time,<class>,<class>,...` and one row per clip, each
//     class column 0 or 1 (1.0 and 0.0 are accepted as written by pandas).
//     Single-label tables have exactly one 1 per row; multi-label tables any number.
//   - A file is named one way: rows hold CanonicalFile(file) (`./x.wav` is
//     `x.wav`), and splits group by it, so one recording spelt two ways is still
//     one recording. File names are relative to the table's folder
//     (ResolveFile opens them).
//   - A clip (file, start and end to the millisecond) is listed once: a table
//     with one clip on two lines, agreeing or conflicting, is an error naming
//     both lines, and IsSingleLabel is false for a table built in code that
//     gives one clip two classes on two rows.
//   - Raven Pro selection tables are tab-separated with `Begin Time (s)`,
//     `End Time (s)`, `Low Freq (Hz)`, `High Freq (Hz)` and an annotation column
//     whose name the caller gives. Rows of a Waveform view that duplicate a
//     Spectrogram view are dropped.
//   - Clip labels come from annotations by overlap, as OpenSoundscape's
//     clip_labels does: a clip gets a class when an annotation of that class
//     overlaps it by at least MinOverlapSeconds, or by at least
//     MinOverlapFraction of the annotation's own duration.
//   - Splits are stratified (each class's share in train/validation/test close to
//     the requested fractions) and grouped: all rows of one group (by default one
//     recording, the row's file) go to the same split, so clips of one recording
//     never leak between splits. They depend only on the table and the seed.
//   - "n per class" sampling draws exactly n examples of each class, seeded (the
//     lecture's 10-sample case).
//   - Labels is the one type for the labels a model learns from, in one of two
//     encodings: Index, one class index per example (single-label, softmax),
//     or Hot, one 0/1 row per example (multi-label, a sigmoid per class).
//     FromTable makes them from a table's rows; lib/classify's classifiers and
//     lib/cnn's Dataset both take them, so the same value feeds either, and
//     lib/metrics takes Index and Hot as they are (encodings.go says which
//     form goes where).
//
// Times are in seconds, frequencies in Hz. Every parse error names the file, the
// line (1-based, header included) and, where it applies, the column and value.
// Tables are written atomically (temporary file + rename).
package dataset
