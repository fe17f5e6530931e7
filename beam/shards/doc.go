// Package shards holds what the Beam pipeline (beam/pipeline) computes, without
// Beam: how an archive's recordings are cut into shards, how one shard is
// embedded, the files a shard's result is written to, and how finished shards
// are loaded into an embedding database (lib/embeddb) or merged into one
// .npy + keys pair (lib/embed's export format).
//
// # Shards
//
// A recording is cut into clips by lib/audio's one rule (audio.Spans, the clips
// embed.EmbedFiles embeds); a shard is a run of consecutive clips of one
// recording, about Settings.ShardSeconds of sound (60 s by default): clips
// FirstClip … FirstClip+Clips−1, the file's last shard running to the end of
// the file (Clips = −1), so that a header that miscounts the frames loses no
// sound. A recording shorter than one clip is one shard with no clips (its
// sound is listed as dropped, as EmbedFiles lists it). Each shard's ID is a
// SHA-256 over the settings, the file's path and content digest and the clip
// range: the name of its result files, so a re-run with the same inputs finds
// them and a changed file or setting never reuses them.
//
// # Bit for bit what embed.EmbedFiles gives
//
// EmbedShard cuts the file with audio.SplitFileFrom — SplitFile's decoder,
// mono mix, resampler and splitter, started at the shard's first clip — so its
// clips are EmbedFiles' clips, sample for sample. It embeds them BatchSize at
// a time with the same zoo.EmbedOptions; lib/zoo's models run every batch
// with the same shape, so a clip's vector does not depend on its neighbours in
// the batch, and the vectors are EmbedFiles' vectors, bit for bit
// (TestEmbedShardsMatchEmbedFiles, and the pipeline's tests on Prism). A shard
// of a WAV file seeks to its start; other formats are decoded (not resampled)
// from the start of the file up to it.
//
// # Result files, written atomically
//
// A finished shard is two files in the output folder's shards/ subfolder:
// <ID>.npy, its vectors as a (rows, dim) float32 array, and then <ID>.json, its
// Record: the shard, the clips' keys, the dropped sound, and the SHA-256 of the
// .npy. Both go through lib/atomicfile (temporary file, fsync, rename), the
// record last: a shard is done when its record exists and the .npy matches the
// digest it names (Finished). A crash leaves at most a stray .npy or a temporary
// file, never a record of a half-written shard; the shard is then computed
// again.
//
// # Errors
//
// A file that cannot be read fails only itself: PlanFile and EmbedShard return
// errors naming the file (and the shard), which the pipeline sends to its error
// output (Failure) and the manifest lists. A file with a failed shard is left
// out of Load and Merge whole, as EmbedFiles leaves out a file it cannot read.
package shards
