// Package audio turns sound files into numbers and numbers back into sound files.
//
// It decodes WAV (integer PCM of 8, 16, 24 or 32 bits, IEEE float of 32 or 64 bits,
// plain or WAVE_FORMAT_EXTENSIBLE, any number of channels), FLAC (through
// github.com/mewkiz/flac), MP3 (through github.com/hajimehoshi/go-mp3) and Ogg
// Vorbis (through github.com/jfreymuth/oggvorbis, all pure Go); mixes
// channels to mono; resamples with a windowed-sinc (Kaiser) polyphase filter that
// removes everything above the lower of the two Nyquist frequencies; trims, pads and
// splits sound into fixed-length clips with overlap; and writes WAV files.
//
// # Units and invariants
//
//   - Samples are float32 amplitudes in full-scale units: integer PCM is divided by
//     2^(bits-1) (8-bit WAV is unsigned and centred on 128 first), so a full-scale
//     square wave reads as ±1 and every decoded integer sample lies in [-1, 1).
//     Float WAV samples are passed through unchanged (they may exceed ±1).
//   - Ogg Vorbis decodes to float32 clamped to ±1. The package reads and checks
//     the Ogg pages itself (checksum, sequence, one logical stream) before the
//     Vorbis decoder sees them, so a damaged, cut or chained file is named as such.
//     Ogg files of other codecs (Opus, FLAC-in-Ogg, Speex) are refused with
//     ErrUnsupported naming the codec; so are 5.1 Vorbis files at 44.1/48 kHz,
//     whose LFE floor the pure-Go decoder cannot read.
//   - A frame is one sample per channel at one instant; sample rates are in Hz
//     (frames per second); times are in seconds from the start of the file.
//   - [Audio] holds channels planar: Channels[c][i] is channel c at frame i, and all
//     channels have the same length.
//   - A [Clip] keeps where it came from: File, StartSeconds and EndSeconds, with
//     EndSeconds-StartSeconds equal to the clip's length at its sample rate, padding
//     included.
//   - One rule cuts a file into clips, wherever clips are cut or counted ([Split],
//     [SplitStream], [Spans], and lib/dataset and lib/embed through them): clips
//     every ClipSeconds−OverlapSeconds, then the leftover (a whole short file
//     included) zero-padded to a clip when it is at least a third of a clip
//     ([DefaultMinFinalFraction]); shorter sound gives no clip and is reported
//     (SplitOptions.Dropped). See [FinalClip].
//
// # Streaming
//
// [Open] returns a [Stream] that decodes a block of frames at a time. [SplitFile]
// uses it to cut an hour-long recording into clips while holding only the current
// clip, the overlap and the resampler's filter history in memory, never the whole
// file. [Load] reads a whole file into an [Audio].
//
// # Errors
//
// Every error names the file and, where it applies, the byte offset and the value
// that is wrong. The sentinel errors [ErrUnsupported], [ErrCorrupt], [ErrTruncated],
// [ErrEmpty] and [ErrSilent] are wrapped with %w so callers can test for them with
// errors.Is. [LoadAll] and [SplitFiles] skip bad files and report them instead of
// stopping at the first.
//
// A file cut short is decoded as far as it goes, and said to be cut, the same
// way for every codec: a WAV or FLAC file that ends before the data its header
// announces, an MP3 file that ends inside a frame or holds fewer frames than its
// Xing/Info header counts (the package walks the MPEG frames itself, since
// go-mp3 stops without a word), an Ogg file that ends inside a page or inside a
// packet continued on a page that never comes. (An Ogg file that ends on a page
// boundary without the end-of-stream flag is read as whole: some writers omit
// the flag, and sox decodes such files in full; a cut exactly between two pages
// cannot be told from them.) The stream's last Read returns the frames before
// the cut with an error wrapping ErrTruncated, then io.EOF; [Load] returns those
// frames together with that error; [SplitFile] emits the clips of the sound
// before the cut (the final-clip rule applies at the cut), then returns it. MP3
// bytes between frames that are not frames (damaged data) are skipped and
// reported the same way, wrapping ErrCorrupt.
//
// A WAV "data" chunk whose size is not a whole number of frames (a common
// writer bug, often an odd size without the RIFF pad byte) gives its whole
// frames, as sox does; the partial frame's bytes are ignored.
//
// Files are written atomically: [WriteWAV] writes to a temporary file in the same
// directory and renames it into place, so a crash never leaves a half-written WAV.
package audio
