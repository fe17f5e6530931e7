package exercises

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// slaneyMel is Slaney's mel scale written out again here (linear below 1 kHz, 27 mels per
// factor 6.4 above), so that the expected band edges do not come from lib/spectro.
func slaneyMel(hz float64) float64 {
	if hz < 1000 {
		return hz * 3 / 200
	}
	return 15 + 27*math.Log(hz/1000)/math.Log(6.4)
}

func slaneyHz(mel float64) float64 {
	if mel < 15 {
		return mel * 200 / 3
	}
	return 1000 * math.Pow(6.4, (mel-15)/27)
}

// lowestBandBins counts by hand the bins of a 1024-point FFT at 22050 Hz strictly inside
// the lowest of numMels Slaney bands from 500 Hz to the Nyquist frequency: its triangle
// runs from the first edge to the third.
func lowestBandBins(numMels int) int {
	low, high := slaneyMel(500), slaneyMel(11025)
	upperHz := slaneyHz(low + 2*(high-low)/float64(numMels+1))
	n := 0
	for k := 0; k <= 512; k++ {
		if hz := float64(k) * 22050 / 1024; hz > 500 && hz < upperHz {
			n++
		}
	}
	return n
}

// rightLesson01 returns right answers, each from a hand computation or computed a second
// way: 66150 samples give 1 + 66150/hop frames with Center, a bin is 22050/512 Hz wide,
// band centres come from the mel formulas, the loudest cell from a plain scan, the gain
// from where the front end's image stops reaching 1.
func rightLesson01(t *testing.T) Lesson01 {
	t.Helper()
	other := audio.MustLoad(filepath.Join(Datasets, lesson01Other))
	power := spectro.MustPowerSpectrogram(other.Mono(), other.SampleRateHz,
		spectro.Options{NFFT: 512, Hop: 128, Center: true})
	loudestBin, loudest := 0, float32(-1)
	for i, v := range power.Values {
		if v > loudest {
			loudest, loudestBin = v, i%power.NumBins
		}
	}
	htk := func(mel float64) float64 { return 700 * (math.Pow(10, mel/2595) - 1) }
	htkMel := func(hz float64) float64 { return 2595 * math.Log10(1+hz/700) }
	centre := func(toMel, toHz func(float64) float64) float64 {
		return toHz(toMel(500) + 32*(toMel(11025)-toMel(500))/65) // edge 32 of 0…65
	}
	return Lesson01{
		R0097RateHz:       22050,
		R0097Seconds:      3,
		R0097LoudestHz:    float64(loudestBin) * 22050 / 512,
		FloorShareAt40:    "higher",
		FramesAtHop32:     1 + 66150/32,
		FramesAtHop512:    1 + 66150/512,
		BinHzAtHop32:      22050.0 / 512,
		LowestBandBins32:  lowestBandBins(32),
		LowestBandBins128: lowestBandBins(128),
		HTKCentre32Hz:     centre(htkMel, htk),
		SlaneyCentre32Hz:  centre(slaneyMel, slaneyHz),
		DarkeningGain:     gainWhereImageDarkens(t),
	}
}

// gainWhereImageDarkens bisects for the gain at which the LevelFloor image of the
// lesson's recording × gain stops reaching 1: a second way to the threshold
// darkeningGain reads off one image.
func gainWhereImageDarkens(t *testing.T) float64 {
	t.Helper()
	a := audio.MustLoad(filepath.Join(Datasets, lesson01Recording))
	frontEnd := spectro.MustNewFrontEnd(spectro.FrontEndOptions{SampleRateHz: a.SampleRateHz})
	reachesOne := func(gain float64) bool {
		scaled := make([]float32, a.NumFrames())
		for i, v := range a.Mono() {
			scaled[i] = float32(gain * float64(v))
		}
		image := frontEnd.MustSpectrogram(frontEnd.MustImage(scaled))
		return image.Max() > 0.9999
	}
	low, high := 0.01, 1.0
	if reachesOne(low) || !reachesOne(high) {
		t.Fatalf("the image reaches 1 at gain %g or not at %g", low, high)
	}
	for range 12 { // within a factor 1.0011: far inside the check's 1 dB
		mid := math.Sqrt(low * high)
		if reachesOne(mid) {
			high = mid
		} else {
			low = mid
		}
	}
	return math.Sqrt(low * high)
}

func TestLesson01(t *testing.T) {
	if testing.Short() {
		t.Skip("computes spectrograms and front-end images of two recordings")
	}
	useRepositoryDatasets(t, "synth-birds")
	right := rightLesson01(t)
	if right.LowestBandBins32 <= right.LowestBandBins128 || right.LowestBandBins128 < 1 {
		t.Fatalf("hand counts %d and %d bins: the lowest of more bands should span fewer",
			right.LowestBandBins32, right.LowestBandBins128)
	}
	wrong := right
	wrong.R0097RateHz, wrong.FloorShareAt40, wrong.FramesAtHop32 = 44100, "lower", 2067
	wrong.DarkeningGain = right.DarkeningGain * 1.2 // 1.6 dB off
	tests := []struct {
		name           string
		answers        Lesson01
		passed, notYet int
	}{
		{"blank", Lesson01{}, 0, 12},
		{"right", right, 12, 0},
		{"four wrong", wrong, 8, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := checkLines(t, func(b *bytes.Buffer) error { return tc.answers.CheckTo(b) })
			passed, notYet := countMarks(lines)
			if passed != tc.passed || notYet != tc.notYet || len(lines) != 13 {
				t.Errorf("%d passed, %d not yet, want %d and %d (13 lines):\n%s", passed, notYet,
					tc.passed, tc.notYet, strings.Join(lines, "\n"))
			}
		})
	}
}

// TestLesson01MissingData: without the data sets the check says which file it could not
// read, and prints nothing.
func TestLesson01MissingData(t *testing.T) {
	saved := Datasets
	Datasets = filepath.Join(t.TempDir(), "no-datasets")
	defer func() { Datasets = saved }()
	var out bytes.Buffer
	err := Lesson01{}.CheckTo(&out)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(Datasets, lesson01Recording)) {
		t.Errorf("error %v, want one naming %s", err, filepath.Join(Datasets, lesson01Recording))
	}
	if out.Len() != 0 {
		t.Errorf("printed %q before the error", out.String())
	}
	defer func() {
		if recover() == nil {
			t.Error("MustCheck without the data sets did not panic")
		}
	}()
	Lesson01{}.MustCheck()
}
