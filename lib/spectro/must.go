package spectro

// The Must… twins below are for notebook cells and programs that cannot go on after such
// an error: each calls its namesake and panics with that function's error, which names
// the value that is wrong.

// MustPowerSpectrogram is PowerSpectrogram that panics on an error.
func MustPowerSpectrogram(samples []float32, rateHz int, o Options) *Spectrogram {
	return mustValue(PowerSpectrogram(samples, rateHz, o))
}

// MustMelSpectrogram is MelSpectrogram that panics on an error.
func MustMelSpectrogram(samples []float32, rateHz int, o Options, fb *Filterbank) *Spectrogram {
	return mustValue(MelSpectrogram(samples, rateHz, o, fb))
}

// MustToDecibels is ToDecibels that panics on an error.
func MustToDecibels(s *Spectrogram, o DBOptions) *Spectrogram {
	return mustValue(ToDecibels(s, o))
}

// MustNewMelFilterbank is NewMelFilterbank that panics on an error.
func MustNewMelFilterbank(nfft, rateHz int, o MelOptions) *Filterbank {
	return mustValue(NewMelFilterbank(nfft, rateHz, o))
}

// MustNewFrontEnd is NewFrontEnd that panics on an error.
func MustNewFrontEnd(o FrontEndOptions) *FrontEnd {
	return mustValue(NewFrontEnd(o))
}

// MustImage is Image that panics on an error (a clip longer than ClipSamples).
func (f *FrontEnd) MustImage(samples []float32) []float32 {
	return mustValue(f.Image(samples))
}

// MustSpectrogram is Spectrogram that panics on an error (an image of the wrong size).
func (f *FrontEnd) MustSpectrogram(image []float32) *Spectrogram {
	return mustValue(f.Spectrogram(image))
}

func mustValue[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
