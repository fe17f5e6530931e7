// Package features computes the handcrafted acoustic features a bioacoustician
// measures on a call: the fundamental frequency (F0) track and its summary, call
// duration, peak frequency, bandwidth, spectral centroid and MFCCs. Each is a
// number (or a short vector) with a physical unit, in contrast to the learned
// embeddings of later lessons.
//
// # Units and conventions
//
//   - Input sound is mono float32 at a sample rate in Hz (see lib/audio); spectral
//     features take a power spectrogram from lib/spectro (unscaled |X|²).
//   - Frequencies are in Hz, times and durations in seconds, levels in dB.
//   - F0 is estimated per frame with YIN (de Cheveigné & Kawahara 2002): the
//     cumulative-mean-normalized difference function, the first dip below a
//     threshold, refined by parabolic interpolation, computed on the signal
//     upsampled to at least 8·FMaxHz so that short periods are resolved. Frames without a clear period
//     (silence, noise, or a period outside [FMinHz, FMaxHz]) are unvoiced and hold
//     NaN; summaries use voiced frames only.
//   - A call is where the frame energy is within ThresholdDB of the loudest frame;
//     its duration runs from the first active frame's start to the last active
//     frame's end, so it is accurate to about one hop.
//   - Peak frequency is the maximum of the mean power spectrum, refined by
//     parabolic interpolation on the dB values of the peak bin and its neighbours.
//   - Bandwidth comes in two forms: the span of frequencies whose mean power is
//     within ThresholdDB of the peak (Raven's "-20 dB bandwidth" style), and the
//     span holding the central Fraction of the energy (Raven's "90% bandwidth").
//   - Spectral centroid is the power-weighted mean frequency Σf·P(f)/ΣP(f).
//   - MFCCs are the orthonormal DCT-II of the mel power spectrogram in dB
//     (10·log10, floored 80 dB below its maximum), as librosa.feature.mfcc does.
//
// DescribeRows describes the clips of a label table's rows (lib/dataset) and
// caches each clip's vector on disk, keyed by the audio's bytes, the clip's
// times and the options. Select keeps some of its columns, by name; MedianByClass
// summarizes one column per class of the label table.
package features
