package exercises

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// Lesson01 holds the answers to lesson 01's exercises. Its expected values are computed
// from the two recordings the exercises name, under Datasets/synth-birds/audio, with the
// settings of the lesson's cells: spectrograms at NFFT 512 (hop 128 unless the exercise
// changes it), mel filterbanks of the mel cell (NFFT 1024, from 500 Hz), and the
// course's front end (spectro.FrontEnd, its default level rule LevelFloor).
type Lesson01 struct {
	// R0097RateHz, R0097Seconds and R0097LoudestHz are exercise 1: r0097's sample rate
	// (Hz), length (s), and the frequency (Hz) of its loudest cell at NFFT 512, hop 128.
	R0097RateHz    int
	R0097Seconds   float64
	R0097LoudestHz float64
	// FloorShareAt40 is exercise 2: "higher" or "lower", the share of cells on the floor
	// with TopDB 40 against TopDB 80.
	FloorShareAt40 string
	// FramesAtHop32, FramesAtHop512 and BinHzAtHop32 are exercise 3: the lesson
	// recording's frames at NFFT 512 with hop 32 and hop 512, and one bin's width (Hz)
	// at hop 32.
	FramesAtHop32, FramesAtHop512 int
	BinHzAtHop32                  float64
	// LowestBandBins32 and LowestBandBins128 are exercise 4: the FFT bins the lowest mel
	// band spans with 32 and with 128 bands (Slaney's scale).
	LowestBandBins32, LowestBandBins128 int
	// HTKCentre32Hz and SlaneyCentre32Hz are exercise 4: the centre (Hz) of band 32 of
	// 64, CentersHz[31], on HTK's scale and on Slaney's.
	HTKCentre32Hz, SlaneyCentre32Hz float64
	// DarkeningGain is exercise 5: the gain (0 to 1) below which LevelFloor darkens the
	// lesson's recording.
	DarkeningGain float64
}

// The recordings of lesson 01, under Datasets.
const (
	lesson01Recording = "synth-birds/audio/r0040_dysaeicola_phaeens_i0.wav"
	lesson01Other     = "synth-birds/audio/r0097_fubaeus_crudaeens_i1.wav"
)

// CheckTo prints one line per answer to w: ✓, or "not yet" with a hint. It returns an
// error, before printing anything, when a recording cannot be read (the error names
// the file).
func (l Lesson01) CheckTo(w io.Writer) error {
	lesson, err := audio.Load(filepath.Join(Datasets, lesson01Recording))
	if err != nil {
		return err
	}
	other, err := audio.Load(filepath.Join(Datasets, lesson01Other))
	if err != nil {
		return err
	}
	samples, rate := lesson.Mono(), lesson.SampleRateHz
	spectrogram := func(samples []float32, rate, hop int) (*spectro.Spectrogram, error) {
		return spectro.PowerSpectrogram(samples, rate,
			spectro.Options{NFFT: 512, Hop: hop, Center: true})
	}
	otherPower, err := spectrogram(other.Mono(), other.SampleRateHz, 128)
	if err != nil {
		return err
	}
	power := map[int]*spectro.Spectrogram{}
	for _, hop := range []int{32, 128, 512} {
		if power[hop], err = spectrogram(samples, rate, hop); err != nil {
			return err
		}
	}
	floorShare := map[float64]float64{}
	for _, topDB := range []float64{40, 80} {
		db, err := spectro.ToDecibels(power[128], spectro.DBOptions{TopDB: topDB})
		if err != nil {
			return err
		}
		floorShare[topDB] = db.FloorShare()
	}
	direction := "lower"
	if floorShare[40] > floorShare[80] {
		direction = "higher"
	}
	filterbank := func(numMels int, scale spectro.MelScale) (*spectro.Filterbank, error) {
		return spectro.NewMelFilterbank(1024, rate,
			spectro.MelOptions{NumMels: numMels, FMinHz: 500, Scale: scale})
	}
	banks := map[string]*spectro.Filterbank{}
	for name, o := range map[string]struct {
		numMels int
		scale   spectro.MelScale
	}{"32": {32, spectro.Slaney}, "128": {128, spectro.Slaney}, "64": {64, spectro.Slaney},
		"64 HTK": {64, spectro.HTK}} {
		if banks[name], err = filterbank(o.numMels, o.scale); err != nil {
			return err
		}
	}
	threshold, err := darkeningGain(samples, rate)
	if err != nil {
		return err
	}

	check := selfcheck.NewTo(w)
	check.Equal("exercise 1: r0097's sample rate", l.R0097RateHz, other.SampleRateHz,
		"audio.Load returns it as SampleRateHz")
	check.Near("exercise 1: r0097's length", l.R0097Seconds, other.DurationSeconds(), 0.01,
		"DurationSeconds(), or the number of samples divided by the rate")
	_, loudestBin := otherPower.ArgMax()
	check.Near("exercise 1: r0097's loudest frequency (Hz)", l.R0097LoudestHz,
		otherPower.FreqsHz[loudestBin], 1,
		"ArgMax, as in the lesson's \"loudest\" cell, on r0097's spectrogram")
	check.Equal("exercise 2: the floor share at 40 dB", l.FloorShareAt40, direction,
		"a smaller TopDB clips more of the quiet cells onto the floor")
	check.Equal("exercise 3: frames at hop 32", l.FramesAtHop32, power[32].NumFrames,
		"about the number of samples divided by the hop, plus one with Center")
	check.Equal("exercise 3: frames at hop 512", l.FramesAtHop512, power[512].NumFrames,
		"about the number of samples divided by the hop, plus one with Center")
	check.Near("exercise 3: Hz per bin at hop 32", l.BinHzAtHop32, float64(rate)/512, 0.01,
		"a bin's width is rate/NFFT: the hop does not enter it")
	check.Equal("exercise 4: bins of the lowest of 32 bands", l.LowestBandBins32,
		len(banks["32"].Weights[0]), "print len(fb.Weights[0]) for a filterbank of 32 bands")
	check.Equal("exercise 4: bins of the lowest of 128 bands", l.LowestBandBins128,
		len(banks["128"].Weights[0]), "more bands are narrower: the lowest spans fewer bins")
	check.Near("exercise 4: HTK's centre of band 32 (Hz)", l.HTKCentre32Hz,
		banks["64 HTK"].CentersHz[31], 1,
		"MelOptions{NumMels: 64, FMinHz: 500, Scale: spectro.HTK}, then fb.CentersHz[31]")
	check.Near("exercise 4: Slaney's centre of band 32 (Hz)", l.SlaneyCentre32Hz,
		banks["64"].CentersHz[31], 1, "the mel cell's filterbank, fb.CentersHz[31]")
	dB1 := math.Pow(10, 1.0/20) // right within 1 dB
	check.Between("exercise 5: the gain below which LevelFloor darkens", l.DarkeningGain,
		threshold/dB1, threshold*dB1,
		"the image darkens once its loudest cell is below −20 dBFS: print its largest value")
	check.Done()
	return nil
}

// darkeningGain returns the gain below which the front end's LevelFloor image of
// samples × gain has a largest value under 1: the gain that brings the loudest cell to
// FloorDBFS+TopDB dBFS. It reads the loudest cell's level off the image at gain 0.01,
// where the clip lies below that level, so the image's largest value is the cell's level
// above FloorDBFS over TopDB; 40 dB more is its level at gain 1.
func darkeningGain(samples []float32, rate int) (float64, error) {
	frontEnd, err := spectro.NewFrontEnd(spectro.FrontEndOptions{SampleRateHz: rate})
	if err != nil {
		return 0, err
	}
	const probe = 0.01
	scaled := make([]float32, len(samples))
	for i, v := range samples {
		scaled[i] = float32(probe * float64(v))
	}
	image, err := frontEnd.Image(scaled)
	if err != nil {
		return 0, err
	}
	largest := 0.0
	for _, v := range image {
		largest = math.Max(largest, float64(v))
	}
	if largest >= 1 {
		return 0, fmt.Errorf("the recording at gain %g still reaches the top of the image: its level cannot be read off it", probe)
	}
	o := frontEnd.Options
	peakDBFS := o.TopDB*largest + o.FloorDBFS - 20*math.Log10(probe)
	return math.Pow(10, (o.FloorDBFS+o.TopDB-peakDBFS)/20), nil
}

// MustCheck prints the checks to standard output, the cell's output in a notebook, and
// panics when a recording cannot be read.
func (l Lesson01) MustCheck() {
	if err := l.CheckTo(os.Stdout); err != nil {
		panic(fmt.Errorf("exercises: lesson 01: %w", err))
	}
}
