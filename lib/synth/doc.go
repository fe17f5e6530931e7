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
// # The harder world
//
// A [World] keeps the birds of a Catalogue unchanged and adds what field
// recordings hold: for each bird 1–3 call types beside its song and a few
// dialects of the song (individual i sings dialect i mod Dialects), and
// generated frogs ([PulseTrain]: pulse trains on a carrier), insects
// ([Stridulation]: tooth impacts in syllables, chirps or trills, tonal or
// band-noise carriers) and mammals ([FormantCall]: an F0 contour shaped by
// vocal-tract formants), each in genera of related species. Every species is
// flagged held out (the first few of its family or genus: birds-v1's rule for
// birds) or pretraining: [World.HeldOut] may only evaluate, [World.Pretrain]
// may train extractors.
//
// A [Scene] says who calls (labelled animals, unlabelled interferers in the
// foreground, distant animals in the background), from how far, in which
// habitat (foliage, reverberation), over which noises (pink, brown, wind,
// rain, an insect chorus, traffic, machinery), at which SNR, on which
// recorder (band limits, sample rate 8–48 kHz, clipping). [World.RenderScene]
// renders it at 48 kHz through the chain [Propagate] (spreading, ISO 9613-1
// air absorption, foliage) → [ImpulseResponse] (RT60, DRR by distance) →
// mix at the SNR → [BandLimit] → resampling → gain or [Clip]. [Ranges] holds
// a range for every parameter and [Ranges.DrawScene] draws scenes from them:
// [HardRanges] for the harder corpus, any other for domain randomisation.
// [WriteHardCorpus] writes a corpus of such scenes from a pool of classes
// ([PoolTest] to report on, [PoolDev] to choose on, [PoolPretrain] to train
// on); datasets/synth-hard and datasets/synth-hard-dev are two of them.
//
// The first corpus's draws never change: the world's streams are new ones,
// and WriteCorpus and Record draw noises from the first four kinds only
// (pinned_test.go holds digests of their output as it was before).
//
// # Units and invariants
//
//   - Frequencies are in Hz; every bird syllable's energy lies between 1 kHz
//     and 10 kHz (harmonics above 10 kHz or 0.45×rate are dropped), so the sample
//     rate of Record and Vocalise must be at least 22050 Hz (Record's default is
//     32000 Hz). Frogs lie within 0.45–10 kHz, insects 2–18 kHz, mammals
//     0.05–12 kHz (all cut at 0.45×rate). Distances are in metres (≥ 1),
//     levels in dB.
//   - Durations and times are in seconds; amplitudes are full-scale float32.
//   - SNR (dB) is 10·log10(Ps/Pn): Ps is the mean power of the foreground over the
//     samples inside its songs, Pn the mean power of the background over the whole
//     recording.
//   - Everything is a pure function of the seed and the options: the same call
//     gives the same samples, bit for bit, on the same GOARCH (float64 math with
//     Go's own math package; no map iteration, no time, no global random source).
//     Corpora are written in parallel but each file depends only on its own index.
package synth
