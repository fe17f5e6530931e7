package spectro

import (
	"fmt"
	"math"
)

// DBOptions configures the conversion to decibels.
type DBOptions struct {
	// Ref is the value that maps to 0 dB; 0 means the spectrogram's maximum.
	Ref float64
	// Amin is the smallest value taken into account (1e-10 when 0), so log10 never
	// sees zero; for a magnitude spectrogram it applies to the magnitude.
	Amin float64
	// TopDB, when > 0, floors the result at (maximum − TopDB) dB.
	TopDB float64
}

// ToDecibels returns a new spectrogram in dB: 10·log10(max(v, Amin)/Ref) for power,
// 20·log10(…) for magnitude, floored at max−TopDB.
func ToDecibels(s *Spectrogram, o DBOptions) (*Spectrogram, error) {
	factor := 10.0
	switch s.Scale {
	case Power:
	case Magnitude:
		factor = 20
	default:
		return nil, fmt.Errorf("spectro: ToDecibels needs a power or magnitude spectrogram, got scale %d", s.Scale)
	}
	amin := o.Amin
	if amin <= 0 {
		amin = 1e-10
	}
	ref := o.Ref
	if ref <= 0 {
		for _, v := range s.Values {
			ref = math.Max(ref, float64(v))
		}
	}
	ref = math.Max(ref, amin)
	out := s.clone()
	out.Scale = Decibels
	top := math.Inf(-1)
	for i, v := range s.Values {
		db := factor * (math.Log10(math.Max(float64(v), amin)) - math.Log10(ref))
		out.Values[i] = float32(db)
		top = math.Max(top, db)
	}
	if o.TopDB > 0 {
		floor := float32(top - o.TopDB)
		for i, v := range out.Values {
			if v < floor {
				out.Values[i] = floor
			}
		}
	}
	return out, nil
}

func (s *Spectrogram) clone() *Spectrogram {
	c := *s
	c.Values = append([]float32(nil), s.Values...)
	c.TimesSeconds = append([]float64(nil), s.TimesSeconds...)
	c.FreqsHz = append([]float64(nil), s.FreqsHz...)
	return &c
}

// Bandpass returns the rows of s whose centre frequency lies in [lowHz, highHz], as
// a new spectrogram (OpenSoundscape's Spectrogram.bandpass).
func Bandpass(s *Spectrogram, lowHz, highHz float64) (*Spectrogram, error) {
	if !(lowHz < highHz) {
		return nil, fmt.Errorf("spectro: bandpass %v–%v Hz, want low < high", lowHz, highHz)
	}
	first, last := -1, -1
	for f, hz := range s.FreqsHz {
		if hz >= lowHz && hz <= highHz {
			if first < 0 {
				first = f
			}
			last = f
		}
	}
	if first < 0 {
		return nil, fmt.Errorf("spectro: bandpass %v–%v Hz holds no bin (bins span %v–%v Hz)", lowHz, highHz, s.FreqsHz[0], s.FreqsHz[len(s.FreqsHz)-1])
	}
	nb := last - first + 1
	out := &Spectrogram{Values: make([]float32, s.NumFrames*nb), NumFrames: s.NumFrames, NumBins: nb,
		TimesSeconds: append([]float64(nil), s.TimesSeconds...), FreqsHz: append([]float64(nil), s.FreqsHz[first:last+1]...),
		FrameSeconds: s.FrameSeconds, Scale: s.Scale, Mel: s.Mel, MelScale: s.MelScale}
	for k := 0; k < s.NumFrames; k++ {
		copy(out.Values[k*nb:(k+1)*nb], s.Values[k*s.NumBins+first:k*s.NumBins+last+1])
	}
	return out, nil
}

// Normalization chooses how Normalize rescales values.
type Normalization int

const (
	// MinMax maps the smallest value to 0 and the largest to 1 (a constant image
	// becomes all zeros).
	MinMax Normalization = iota
	// Standardize subtracts the mean and divides by the standard deviation
	// (population; a constant image becomes all zeros).
	Standardize
)

// Normalize returns a rescaled copy of s (Scale Normalized).
func Normalize(s *Spectrogram, how Normalization) *Spectrogram {
	out := s.clone()
	out.Scale = Normalized
	if len(s.Values) == 0 {
		return out
	}
	switch how {
	case Standardize:
		var sum, sumSq float64
		for _, v := range s.Values {
			sum += float64(v)
		}
		mean := sum / float64(len(s.Values))
		for _, v := range s.Values {
			d := float64(v) - mean
			sumSq += d * d
		}
		std := math.Sqrt(sumSq / float64(len(s.Values)))
		for i, v := range s.Values {
			if std == 0 {
				out.Values[i] = 0
			} else {
				out.Values[i] = float32((float64(v) - mean) / std)
			}
		}
	default:
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.Values {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
		for i, v := range s.Values {
			if hi == lo {
				out.Values[i] = 0
			} else {
				out.Values[i] = float32((float64(v) - lo) / (hi - lo))
			}
		}
	}
	return out
}
