package spectro

import "math"

// The methods below summarise a spectrogram's values in its own unit (power, dB, or an
// image's [0, 1]): the questions a lesson asks of a picture before it looks at it. An
// empty spectrogram has no such values: Max and Min are −Inf and +Inf, Mean and
// FloorShare NaN, and ArgMax (-1, -1).

// Max returns the largest value: for a power spectrogram, its loudest cell.
func (s *Spectrogram) Max() float64 {
	highest := math.Inf(-1)
	for _, v := range s.Values {
		highest = math.Max(highest, float64(v))
	}
	return highest
}

// Min returns the smallest value: for a dB spectrogram with a TopDB floor, the floor.
func (s *Spectrogram) Min() float64 {
	lowest := math.Inf(1)
	for _, v := range s.Values {
		lowest = math.Min(lowest, float64(v))
	}
	return lowest
}

// ArgMax returns the frame and the bin of the largest value (the first in frame-major
// order when several are equal): TimesSeconds[frame] and FreqsHz[bin] say where the
// loudest cell lies.
func (s *Spectrogram) ArgMax() (frame, bin int) {
	best, highest := -1, math.Inf(-1)
	for i, v := range s.Values {
		if float64(v) > highest {
			best, highest = i, float64(v)
		}
	}
	if best < 0 {
		return -1, -1
	}
	return best / s.NumBins, best % s.NumBins
}

// Mean returns the mean of the values.
func (s *Spectrogram) Mean() float64 {
	var sum float64
	for _, v := range s.Values {
		sum += float64(v)
	}
	return sum / float64(len(s.Values))
}

// FloorShare returns the share of the cells (0 to 1) that hold the smallest value. In a
// dB spectrogram made with a TopDB floor these are the cells clipped onto the floor: the
// share says how much of the picture the floor hides.
func (s *Spectrogram) FloorShare() float64 {
	lowest, atFloor := s.Min(), 0
	for _, v := range s.Values {
		if float64(v) == lowest {
			atFloor++
		}
	}
	return float64(atFloor) / float64(len(s.Values))
}
