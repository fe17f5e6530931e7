package transfer

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// monoAt returns a's mono samples at rateHz: unchanged when a is at that rate
// already (so corpora at the front end's rate give the same images as before),
// otherwise band-limited and resampled with audio.Resample.
func monoAt(a *audio.Audio, rateHz int) ([]float32, error) {
	mono := a.Mono()
	if a.SampleRateHz == rateHz {
		return mono, nil
	}
	out, err := audio.Resample(mono, a.SampleRateHz, rateHz)
	if err != nil {
		return nil, fmt.Errorf("resampling from %d Hz to the network's %d Hz: %w", a.SampleRateHz, rateHz, err)
	}
	return out, nil
}

// SizesOf returns the training-set sizes Run uses for method m: SizesFor[m]
// when set, else Sizes, else the default sizes.
func (o Options) SizesOf(m Method) []int {
	return o.withDefaults(nil).sizesFor(m)
}

// SeedsOf returns the seeds Run uses for method m: SeedsFor[m] when set, else
// Seeds, else the default seeds.
func (o Options) SeedsOf(m Method) []uint64 {
	return o.withDefaults(nil).seedsFor(m)
}
