// Package embed turns clips of sound into embeddings — the vectors a pretrained
// model (lib/zoo) computes for them — and keeps each vector with its key: the
// file it came from and its start and end times in seconds (OpenSoundscape's
// file, start_time, end_time).
//
// Embed takes clips already in memory; EmbedFiles streams recordings of any
// length through audio.SplitFile, resampled to the model's rate and mixed to
// mono, cut into clips of the model's length with an optional overlap, so memory
// holds one batch of clips, never a whole recording. Clips go through the model
// BatchSize at a time, with an optional progress line (clips done, total,
// clips/s) written to Options.Progress. The model is always told the clips'
// sample rate (zoo.Model.Embed resamples or refuses, never misreads). A
// recording cut short gives the clips before the cut, with a warning in
// Embeddings.Warnings and on the progress output.
//
// EmbedTable and EmbedRows embed the rows of a label table (lib/dataset): each
// row's file once, and each row takes the clip of its file that starts at the
// row's start. Options.EmbedOptions (zoo.EmbedOptions) is what the model is
// told: layer, pooling, training mode and batch size.
//
// # Short files, unreadable files
//
// The end of every file follows lib/audio's one rule (audio.FinalClip): by
// default a leftover of at least a third of a clip, a whole file shorter than
// one clip included, becomes a zero-padded clip, and shorter sound gives none.
// Each file or tail that gave no clip is listed in Embeddings.Dropped and on the
// progress output. A file EmbedFiles cannot read is listed, with the reason, in
// Embeddings.Failures, and the batch goes on; the call fails only when no file
// can be read, on bad options, or when the model fails.
//
// # Determinism
//
// In inference mode (the default) the same clip gives the same embedding, bit
// for bit, for a given model, engine and BatchSize. lib/zoo's ONNX models run
// every batch with the same shape (the last one padded), so a clip's vector does
// not depend on its neighbours or on how many clips come with it; other models
// should do the same. Across different BatchSize values an engine may choose
// another algorithm, and vectors then agree to float32 rounding only; BatchSize
// is therefore part of the cache key.
//
// # Cache
//
// With Options.CacheDir set, results are cached on disk, keyed by a SHA-256 over
// the model's name and weight digest, the layer, pooling, batch size, training
// flag and seed, the clip length and overlap, and the content of the audio (the
// bytes of each file for EmbedFiles, the samples and keys of each clip for
// Embed). A re-run with the same inputs reads the cache and runs no model; any
// changed setting or changed audio byte misses. EmbedFiles caches each file on
// its own, as soon as all its clips are embedded, so adding a file to a list
// embeds only that file, an unreadable file costs no other file's work, and a
// model failure loses none of the files completed before it. Cache files are
// written atomically, carry their own key and end in a checksum: a damaged one,
// or one copied under another key, is recomputed, with a note.
//
// # Export
//
// Embeddings export as NumPy: WriteNPY writes a (n, dim) little-endian float32
// array in C order (format 1.0, byte for byte what numpy.save writes, through
// lib/npy), and WriteKeysCSV the keys, one row per vector, as
// file,start_time,end_time. Read reads both back; Matrix gives a gonum matrix.
package embed
