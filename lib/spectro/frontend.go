package spectro

import (
	"encoding/json"
	"fmt"
	"math"
)

// Level is the rule that sets how bright a front-end image is, i.e. which power
// maps to 1. It is part of a model's recorded configuration: a network reads
// images made with the rule it was trained with.
type Level string

const (
	// LevelPeak scales each clip to its own loudest cell: decibels relative to
	// the clip's peak, floored TopDB below it. Any clip, however quiet, fills the
	// whole range [0, 1], so near-silence (a −80 dBFS hiss, a ±1 LSB file) looks
	// like a loud recording. The rule of the course's first models (birds-v1);
	// a recorded FrontEndOptions without a Level field used it.
	LevelPeak Level = "peak"
	// LevelFloor is LevelPeak with a bounded gain: a cell maps to 1 at the
	// clip's peak or at FloorDBFS+TopDB dBFS, whichever is louder, so nothing
	// below FloorDBFS dBFS is ever brighter than 0. A clip whose peak reaches
	// FloorDBFS+TopDB (−20 dBFS by default) gives exactly the LevelPeak image;
	// a quieter clip is drawn on the fixed scale [FloorDBFS, FloorDBFS+TopDB]
	// dBFS, so near-silence stays near-black. The default from now on.
	LevelFloor Level = "floor"
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
	// Level is the brightness rule [LevelFloor]; FloorDBFS is LevelFloor's
	// absolute floor, in dBFS [−100] (see FrontEnd.FullScalePower for what 0
	// dBFS is). The default floor lies at the quantisation noise of 16-bit audio
	// (about −101 dBFS), so its image's top is at −20 dBFS.
	Level     Level
	FloorDBFS float64
}

// UnmarshalJSON reads recorded options. Options recorded before the level rule
// existed have no Level field and were made with LevelPeak, so a missing Level
// reads as LevelPeak (and a missing FloorDBFS as 0, unused by LevelPeak); new
// records always carry the rule, since NewFrontEnd fills in the defaults.
func (o *FrontEndOptions) UnmarshalJSON(data []byte) error {
	type plain FrontEndOptions // without this method
	p := plain{Level: LevelPeak}
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*o = FrontEndOptions(p)
	return nil
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
	if o.Level == "" {
		o.Level = LevelFloor
	}
	if o.FloorDBFS == 0 && o.Level == LevelFloor {
		o.FloorDBFS = -100
	}
	return o
}

// FrontEnd turns a clip into a network's input: a centred Hann STFT, a mel power
// spectrogram, decibels relative to a reference floored TopDB below it, then
// mapped linearly from [−TopDB, 0] dB to [0, 1]. The reference is the clip's
// loudest value (Level LevelPeak), or with LevelFloor that value but at least
// FloorDBFS+TopDB dBFS. Above that level the image is independent of the clip's
// gain (a clip scaled by any factor that keeps its peak above it gives the same
// image), which is what a detector of calls, not of loudness, wants; below it,
// quieter clips give darker images, so that near-silence is not blown up to a
// full-scale picture.
//
// A FrontEnd is safe for concurrent use.
type FrontEnd struct {
	// Options are the settings, defaults filled in.
	Options FrontEndOptions
	stft    Options
	fb      *Filterbank
	// fullScale is FullScalePower; minRef the least reference LevelFloor allows.
	fullScale, minRef float64
}

// NewFrontEnd checks the options and builds the mel filterbank.
func NewFrontEnd(o FrontEndOptions) (*FrontEnd, error) {
	o = o.withDefaults()
	switch {
	case o.SampleRateHz <= 0, o.ClipSeconds <= 0, o.NFFT <= 1, o.Hop <= 0, o.NumMels <= 0, o.TopDB <= 0:
		return nil, fmt.Errorf("spectro: front end: invalid options %+v", o)
	case o.Level != LevelPeak && o.Level != LevelFloor:
		return nil, fmt.Errorf("spectro: front end: unknown level rule %q (want %q or %q)", o.Level, LevelPeak, LevelFloor)
	case o.Level == LevelFloor && !(o.FloorDBFS < 0 && o.FloorDBFS > -300):
		return nil, fmt.Errorf("spectro: front end: floor %v dBFS, want between −300 and 0", o.FloorDBFS)
	case o.FMinHz < 0 || o.FMaxHz <= o.FMinHz || o.FMaxHz > float64(o.SampleRateHz)/2:
		return nil, fmt.Errorf("spectro: front end: mel range %g–%g Hz outside 0–%g Hz", o.FMinHz, o.FMaxHz, float64(o.SampleRateHz)/2)
	}
	fb, err := NewMelFilterbank(o.NFFT, o.SampleRateHz, MelOptions{NumMels: o.NumMels, FMinHz: o.FMinHz, FMaxHz: o.FMaxHz, SlaneyNorm: true})
	if err != nil {
		return nil, fmt.Errorf("spectro: front end: %w", err)
	}
	f := &FrontEnd{Options: o, stft: Options{NFFT: o.NFFT, Hop: o.Hop, Center: true}, fb: fb}
	if f.fullScale, err = f.fullScalePower(); err != nil {
		return nil, fmt.Errorf("spectro: front end: %w", err)
	}
	f.minRef = f.fullScale * math.Pow(10, (o.FloorDBFS+o.TopDB)/10)
	return f, nil
}

// calibrationHz is the frequency of the full-scale reference sine, as in AES17's
// definition of dBFS (997 Hz, "1 kHz").
const calibrationHz = 997

// FullScalePower is the mel power that means 0 dBFS: the loudest cell a sine
// of amplitude 1 (full scale) gives at the centre of the mel band nearest
// 997 Hz (AES17's calibration tone), away from the clip's edges. A sine of
// amplitude A there reads 20·log10(A) dBFS; at other frequencies the Slaney
// normalisation of the bands makes the reading lower for wider (higher) bands.
func (f *FrontEnd) FullScalePower() float64 { return f.fullScale }

// DBFS returns a mel power cell of this front end in dBFS (see FullScalePower).
func (f *FrontEnd) DBFS(power float64) float64 { return 10 * math.Log10(power/f.fullScale) }

func (f *FrontEnd) fullScalePower() (float64, error) {
	hz := f.fb.CentersHz[0]
	for _, c := range f.fb.CentersHz {
		if math.Abs(c-calibrationHz) < math.Abs(hz-calibrationHz) {
			hz = c
		}
	}
	nfft, rate := f.Options.NFFT, float64(f.Options.SampleRateHz)
	sine := make([]float32, 4*nfft)
	for i := range sine {
		sine[i] = float32(math.Sin(2 * math.Pi * hz * float64(i) / rate))
	}
	mel, err := MelSpectrogram(sine, f.Options.SampleRateHz, f.stft, f.fb)
	if err != nil {
		return 0, err
	}
	// Frames whose whole window lies inside the sine (centred frames start half
	// a window before their sample).
	var peak float64
	for k := 0; k < mel.NumFrames; k++ {
		if k*f.Options.Hop < nfft/2 || k*f.Options.Hop+nfft/2 > len(sine) {
			continue
		}
		for m := 0; m < mel.NumBins; m++ {
			peak = max(peak, float64(mel.Values[k*mel.NumBins+m]))
		}
	}
	if !(peak > 0) {
		return 0, fmt.Errorf("a full-scale %.0f Hz sine gives no power (NFFT %d, hop %d)", hz, nfft, f.Options.Hop)
	}
	return peak, nil
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
// (silence); a longer one is an error. A silent clip gives all zeros; with
// LevelFloor a near-silent one gives values near 0.
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
	// The reference that maps to 1. Comparing before converting keeps a clip
	// above LevelFloor's bound bit for bit the LevelPeak image.
	ref := float64(peak)
	if f.Options.Level == LevelFloor && ref < f.minRef {
		ref = f.minRef
	}
	topDB := f.Options.TopDB
	for i, v := range mel.Values {
		db := -topDB
		if v > 0 {
			db = max(10*math.Log10(float64(v)/ref), -topDB)
		}
		image[i] = float32((db + topDB) / topDB)
	}
	return image, nil
}
