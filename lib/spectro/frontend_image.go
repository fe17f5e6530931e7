package spectro

import "fmt"

// Spectrogram wraps an image made by Image (or changed since, as a network's
// augmentations change it) as a Spectrogram, with the time of each frame in
// seconds and the centre frequency of each mel band in Hz, so that Plot draws it
// with real axes. Values are the image's own, in [0, 1] (Scale Normalized); the
// image is not copied.
func (f *FrontEnd) Spectrogram(image []float32) (*Spectrogram, error) {
	frames, mels := f.NumFrames(), f.Options.NumMels
	if len(image) != frames*mels {
		return nil, fmt.Errorf("spectro: front end: an image of %d values is not %d frames × %d mel bands", len(image), frames, mels)
	}
	rate := float64(f.Options.SampleRateHz)
	s := &Spectrogram{
		Values: image, NumFrames: frames, NumBins: mels,
		TimesSeconds: make([]float64, frames),
		FreqsHz:      append([]float64(nil), f.fb.CentersHz...),
		FrameSeconds: float64(f.Options.Hop) / rate,
		Scale:        Normalized, Mel: true, MelScale: f.fb.Scale,
	}
	for k := range s.TimesSeconds {
		s.TimesSeconds[k] = float64(k*f.Options.Hop) / rate // centred frames: frame k is centred on sample k·Hop
	}
	return s, nil
}
