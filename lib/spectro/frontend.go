package spectro

import (
	"fmt"
	"math"
)

// FrontEndOptions configures a FrontEnd: the fixed transform from a clip of
// audio to the image a network reads. Zero fields take the defaults in brackets,
// the settings of the course's models.
type FrontEndOptions struct {
	// SampleRateHz is the rate clips must have, in Hz [22050].
	SampleRateHz int
	// ClipSeconds is the clip length, in seconds [3].
	ClipSeconds float64
	// NFFT and Hop are the STFT's frame length and step, in samples [1024, 512].
	NFFT, Hop int
	// NumMels is the number of mel bands [64]; FMinHz and FMaxHz bound them, in Hz
	// [500, Nyquist]. The Slaney scale with Slaney-normalised triangles.
	NumMels        int
	FMinHz, FMaxHz float64
	// TopDB is the dynamic range kept below the clip's loudest value, in dB [80].
	TopDB float64
}

func (o FrontEndOptions) withDefaults() FrontEndOptions {
	if o.SampleRateHz == 0 {
		o.SampleRateHz = 22050
	}
	if o.ClipSeconds == 0 {
		o.ClipSeconds = 3
	}
	if o.NFFT == 0 {
		o.NFFT = 1024
	}
	if o.Hop == 0 {
		o.Hop = 512
	}
	if o.NumMels == 0 {
		o.NumMels = 64
	}
	if o.FMinHz == 0 {
		o.FMinHz = 500
	}
	if o.FMaxHz == 0 {
		o.FMaxHz = float64(o.SampleRateHz) / 2
	}
	if o.TopDB == 0 {
		o.TopDB = 80
	}
	return o
}

// FrontEnd turns a clip into a network's input: a centred Hann STFT, a mel power
// spectrogram, decibels relative to the clip's loudest value floored TopDB below
// it, then mapped linearly from [−TopDB, 0] dB to [0, 1]. The result is
// independent of the clip's gain (a clip scaled by any factor > 0 gives the same
// image), which is what a detector of calls, not of loudness, wants.
//
// A FrontEnd is safe for concurrent use.
type FrontEnd struct {
	// Options are the settings, defaults filled in.
	Options FrontEndOptions
	stft    Options
	fb      *Filterbank
}

// NewFrontEnd checks the options and builds the mel filterbank.
func NewFrontEnd(o FrontEndOptions) (*FrontEnd, error) {
	o = o.withDefaults()
	switch {
	case o.SampleRateHz <= 0, o.ClipSeconds <= 0, o.NFFT <= 1, o.Hop <= 0, o.NumMels <= 0, o.TopDB <= 0:
		return nil, fmt.Errorf("spectro: front end: invalid options %+v", o)
	case o.FMinHz < 0 || o.FMaxHz <= o.FMinHz || o.FMaxHz > float64(o.SampleRateHz)/2:
		return nil, fmt.Errorf("spectro: front end: mel range %g–%g Hz outside 0–%g Hz", o.FMinHz, o.FMaxHz, float64(o.SampleRateHz)/2)
	}
	fb, err := NewMelFilterbank(o.NFFT, o.SampleRateHz, MelOptions{NumMels: o.NumMels, FMinHz: o.FMinHz, FMaxHz: o.FMaxHz, SlaneyNorm: true})
	if err != nil {
		return nil, fmt.Errorf("spectro: front end: %w", err)
	}
	return &FrontEnd{Options: o, stft: Options{NFFT: o.NFFT, Hop: o.Hop, Center: true}, fb: fb}, nil
}

// ClipSamples is the number of samples in a full clip.
func (f *FrontEnd) ClipSamples() int {
	return int(math.Round(f.Options.ClipSeconds * float64(f.Options.SampleRateHz)))
}

// NumFrames is the number of time frames of a full clip's image.
func (f *FrontEnd) NumFrames() int { return f.stft.NumFrames(f.ClipSamples()) }

// Shape is the image's shape, [NumFrames, NumMels] (time, frequency).
func (f *FrontEnd) Shape() [2]int { return [2]int{f.NumFrames(), f.Options.NumMels} }

// Image returns the clip's image, frame-major: value [k*NumMels+m] is frame k,
// mel band m, in [0, 1]. A clip shorter than ClipSamples is padded with zeros
// (silence); a longer one is an error. A silent clip gives all zeros.
func (f *FrontEnd) Image(samples []float32) ([]float32, error) {
	n := f.ClipSamples()
	if len(samples) > n {
		return nil, fmt.Errorf("spectro: front end: clip of %d samples is longer than %d (%g s at %d Hz)",
			len(samples), n, f.Options.ClipSeconds, f.Options.SampleRateHz)
	}
	for i, v := range samples {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("spectro: front end: sample %d is %v", i, v)
		}
	}
	if len(samples) < n {
		padded := make([]float32, n)
		copy(padded, samples)
		samples = padded
	}
	mel, err := MelSpectrogram(samples, f.Options.SampleRateHz, f.stft, f.fb)
	if err != nil {
		return nil, fmt.Errorf("spectro: front end: %w", err)
	}
	var peak float32
	for _, v := range mel.Values {
		peak = max(peak, v)
	}
	image := make([]float32, len(mel.Values))
	if peak <= 0 {
		return image, nil
	}
	topDB := f.Options.TopDB
	for i, v := range mel.Values {
		db := -topDB
		if v > 0 {
			db = max(10*math.Log10(float64(v)/float64(peak)), -topDB)
		}
		image[i] = float32((db + topDB) / topDB)
	}
	return image, nil
}
