// Package synth generates bird-like vocalizations and soundscapes, deterministically
// from a seed, standing in for field recordings that a course cannot download.
//
// # The model
//
// A [Catalogue] holds families of species. A family fixes a prototype: the syllable
// types its songs use (tonal whistles with frequency modulation, up- and
// down-sweeps, trills, harmonic stacks with an F0 and harmonics, broadband
// buzzes), a centre frequency, a tempo and a song pattern. Each species perturbs
// its family's prototype (frequency scale, durations, FM, pattern), so two species
// of one family sound alike and are harder to tell apart than two species of
// different families. Each individual of a species perturbs the species slightly
// and always the same way (its own seed), so individuals can be identified. Each
// rendition of a song jitters a little more (durations, gaps, pitch), as real birds
// do.
//
// A [Recording] mixes one or more songs (the foreground, with random onsets) with a
// background of pink or brown noise, wind-like rumble, rain-like clicks and distant,
// muffled songs of other species, scaled to a chosen signal-to-noise ratio, and
// finally scaled to a random peak gain.
//
// # Units and invariants
//
//   - Frequencies are in Hz; every syllable's energy lies between 1 kHz and
//     10 kHz (harmonics above 10 kHz or 0.45×rate are dropped), so the sample rate
//     must be at least 22050 Hz (the default is 32000 Hz).
//   - Durations and times are in seconds; amplitudes are full-scale float32.
//   - SNR (dB) is 10·log10(Ps/Pn): Ps is the mean power of the foreground over the
//     samples inside its songs, Pn the mean power of the background over the whole
//     recording.
//   - Everything is a pure function of the seed and the options: the same call
//     gives the same samples, bit for bit, on the same GOARCH (float64 math with
//     Go's own math package; no map iteration, no time, no global random source).
//     Corpora are written in parallel but each file depends only on its own index.
package synth
