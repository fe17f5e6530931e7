// Package spectro turns sound into pictures of its frequencies over time: the
// short-time Fourier transform (STFT), magnitude and power spectrograms, mel
// filterbanks on the Slaney and HTK scales, decibels with a floor, bandpass and
// normalization, and a gonum/plot rendering with time (s) and frequency (Hz) axes.
//
// # Conventions and units
//
//   - Input samples are mono float32 amplitudes in full-scale units (see lib/audio);
//     sample rates are in Hz.
//   - Frame k of an STFT starts at sample k·Hop and is NFFT samples long; with
//     Center, the signal is first padded with NFFT/2 zeros on both sides, so frame k
//     is centred on sample k·Hop. Frames are multiplied by a periodic window
//     ([Hann], [Hamming], [Blackman] or [Rectangular]) and transformed with
//     gonum's real FFT; the first NFFT/2+1 bins are kept.
//   - Values are unscaled: a magnitude is |X[f]| = |Σ w[n]·x[n]·e^{-2πi f n/NFFT}|
//     (the same as numpy.fft.rfft of the windowed frame) and a power is |X[f]|². So
//     a sine of amplitude A centred on a bin shows a magnitude peak of A·Σw/2.
//   - Bin f is centred on f·rate/NFFT Hz; frame k is centred on
//     (k·Hop + NFFT/2)/rate seconds (k·Hop/rate with Center).
//   - A [Spectrogram] stores values frame-major: Values[k*NumBins+f].
//   - Mel filterbanks follow librosa.filters.mel: triangles between mel-spaced
//     edges, with Slaney's area normalization (2/(f_{i+2}-f_i)) when asked.
//   - Decibels are 10·log10(power/ref) (20·log10 for magnitudes), floored at
//     max−TopDB and at the log of a minimum value, so silence is a finite number.
//   - [FrontEnd] images (what the course's networks read) are in [0, 1]: 1 at
//     the clip's peak, 0 at TopDB below it. Its level rule (FrontEndOptions.Level)
//     bounds the gain: with [LevelFloor] (the default) a clip quieter than
//     FloorDBFS+TopDB dBFS (−20 dBFS) is drawn on the fixed scale [FloorDBFS,
//     FloorDBFS+TopDB] dBFS, so near-silence stays near-black; [LevelPeak] (the
//     rule birds-v1 was trained with) scales every clip to its own peak. 0 dBFS
//     is the mel power of a full-scale sine at about 1 kHz (FrontEnd.FullScalePower).
//
// The STFT runs on all cores (one FFT plan per goroutine). Power-of-two frame
// lengths use a radix-2 real FFT written here for speed and tested against
// gonum.org/v1/gonum/dsp/fourier, which serves every other length; the mel projection
// touches only each band's non-zero bins.
//
// The package holds numbers only: lib/spectro/spectroplots draws a Spectrogram as a
// *plot.Plot, and lib/plots shows or saves it.
package spectro
