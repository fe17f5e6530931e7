package features

import (
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// Options configures Describe.
type Options struct {
	// STFT configures the spectrogram the spectral features use; a zero NFFT means
	// NFFT 1024, Hop 256, centred frames (46 ms frames, 21.5 Hz bins at 22050 Hz).
	STFT spectro.Options
	// F0 configures the F0 track; a zero range means 400 Hz to 10 kHz (capped at
	// 45% of the sample rate), where bird song's fundamentals lie.
	F0 F0Options
	// BandLowHz and BandHighHz, when BandHighHz > 0, restrict the spectral features
	// (call duration, peak frequency, bands, centroid) to that band, in Hz: wind and
	// traffic rumble below a bird's band otherwise pull the peak and the centroid
	// down to a few tens of Hz. The MFCCs always see the whole spectrum.
	BandLowHz, BandHighHz float64
	// NumMels and NumMFCC size the MFCCs (40 and 13 when 0).
	NumMels, NumMFCC int
	// ActivityDB is the call-detection threshold in dB below the loudest frame (20 when 0).
	ActivityDB float64
}

// Description holds the handcrafted features of one clip.
type Description struct {
	// F0 summarizes the fundamental frequency (Hz).
	F0 F0Summary
	// CallDurationSeconds spans the first to the last active frame (s).
	CallDurationSeconds float64
	// PeakFrequencyHz is the peak of the mean power spectrum (Hz).
	PeakFrequencyHz float64
	// Band90 holds the central 90% of the energy (Hz).
	Band90 Band
	// Band20dB spans the frequencies within 20 dB of the peak (Hz).
	Band20dB Band
	// CentroidHz is the centroid of the mean power spectrum (Hz).
	CentroidHz float64
	// MFCCMean is the mean over frames of each MFCC (dB-scaled cepstral units).
	MFCCMean []float64
}

// withDefaults returns o with its zero fields set to their documented
// defaults for clips at rateHz.
func (o Options) withDefaults(rateHz int) Options {
	if o.NumMels == 0 {
		o.NumMels = 40
	}
	if o.NumMFCC == 0 {
		o.NumMFCC = 13
	}
	if o.STFT.NFFT == 0 {
		o.STFT = spectro.Options{NFFT: 1024, Hop: 256, Center: true}
	}
	if o.F0.FMinHz == 0 && o.F0.FMaxHz == 0 {
		o.F0.FMinHz, o.F0.FMaxHz = 400, math.Min(10000, 0.45*float64(rateHz))
	}
	return o
}

// Describe computes every handcrafted feature of a mono clip at rateHz.
func Describe(samples []float32, rateHz int, o Options) (*Description, error) {
	o = o.withDefaults(rateHz)
	power, err := spectro.PowerSpectrogram(samples, rateHz, o.STFT)
	if err != nil {
		return nil, err
	}
	d := &Description{}
	track, err := F0(samples, rateHz, o.F0)
	if err != nil {
		return nil, err
	}
	d.F0 = track.Summary()
	band := power
	if o.BandHighHz > 0 {
		if band, err = spectro.Bandpass(power, o.BandLowHz, o.BandHighHz); err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
	}
	if d.CallDurationSeconds, err = CallDurationSeconds(band, ActivityOptions{ThresholdDB: o.ActivityDB}); err != nil {
		return nil, err
	}
	d.PeakFrequencyHz = PeakFrequencyHz(band)
	d.Band90 = EnergyBand(band, 0.9)
	d.Band20dB = BandWithinDB(band, 20)
	d.CentroidHz = MeanSpectralCentroidHz(band)
	fb, err := spectro.NewMelFilterbank(o.STFT.NFFT, rateHz, spectro.MelOptions{NumMels: o.NumMels, SlaneyNorm: true})
	if err != nil {
		return nil, err
	}
	mel, err := fb.Apply(power)
	if err != nil {
		return nil, err
	}
	mfcc, err := MFCC(mel, o.NumMFCC)
	if err != nil {
		return nil, err
	}
	d.MFCCMean = make([]float64, o.NumMFCC)
	for _, frame := range mfcc {
		for c, v := range frame {
			d.MFCCMean[c] += v / float64(len(mfcc))
		}
	}
	return d, nil
}

// Names returns the names of Vector's entries, with units.
func (d *Description) Names() []string {
	names := []string{"f0_mean_hz", "f0_min_hz", "f0_max_hz", "f0_voiced_fraction", "call_duration_s",
		"peak_frequency_hz", "band90_low_hz", "band90_high_hz", "bandwidth90_hz", "bandwidth20db_hz", "centroid_hz"}
	for c := range d.MFCCMean {
		names = append(names, fmt.Sprintf("mfcc%d_mean", c))
	}
	return names
}

// Vector returns the features as one vector (see Names); NaN F0 values (no voiced
// frame) become 0.
func (d *Description) Vector() []float64 {
	z := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	v := []float64{z(d.F0.MeanHz), z(d.F0.MinHz), z(d.F0.MaxHz), d.F0.VoicedFraction, d.CallDurationSeconds,
		d.PeakFrequencyHz, d.Band90.LowHz, d.Band90.HighHz, d.Band90.WidthHz(), z(d.Band20dB.WidthHz()), d.CentroidHz}
	return append(v, d.MFCCMean...)
}
