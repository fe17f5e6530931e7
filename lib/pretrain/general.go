package pretrain

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// GeneralData says which clips a general-v* network (lib/cmd/pretraingeneral) is
// fine-tuned and validated on: scenes of lib/synth's harder world mixed with real
// recordings. Its record (Record.Data) keeps it; Rule says it in words.
type GeneralData struct {
	// WorldTrainClips and WorldValClips are the clips per pretraining animal.
	WorldTrainClips int `json:"world_train_clips_per_animal"`
	WorldValClips   int `json:"world_val_clips_per_animal"`
	// Individuals is the number of individuals a clip's caller is drawn from.
	Individuals int `json:"individuals"`
	// WideFraction of the world's clips are drawn with synth.WideRanges, the
	// rest with synth.HardRanges.
	WideFraction float64 `json:"wide_fraction"`
	// Real is the real-recording training set (an OpenSoundscape label table
	// and its audio), or several, comma-separated (RealSets); RealValFraction
	// of each class's recordings (at least one when a class has 3 or more)
	// validate, the rest train, each set split on its own.
	Real            string  `json:"real"`
	RealValFraction float64 `json:"real_val_fraction"`
	// RealRepeat, when set, gives per real set (comma-separated, in the order
	// of Real) how many times each of its training clips enters the training
	// set (a small set oversampled; the augmentations make the repeats
	// differ); validation clips enter once.
	RealRepeat string `json:"real_repeat,omitempty"`
	// DataSeed determines every clip and the real set's split.
	DataSeed uint64 `json:"data_seed"`
}

// RealSets are the folders of the real training sets, in order.
func (d GeneralData) RealSets() []string {
	var out []string
	for _, s := range strings.Split(d.Real, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Repeats are the RealRepeat counts, one per real set (1 when unset).
func (d GeneralData) Repeats() ([]int, error) {
	sets := d.RealSets()
	out := make([]int, len(sets))
	for i := range out {
		out[i] = 1
	}
	if strings.TrimSpace(d.RealRepeat) == "" {
		return out, nil
	}
	parts := strings.Split(d.RealRepeat, ",")
	if len(parts) != len(sets) {
		return nil, fmt.Errorf("pretrain: RealRepeat (-real-repeat) %q gives %d counts for %d real sets", d.RealRepeat, len(parts), len(sets))
	}
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("pretrain: RealRepeat (-real-repeat) %q: count %q is not a whole number ≥ 1", d.RealRepeat, p)
		}
		out[i] = n
	}
	return out, nil
}

// CheckRealNames refuses two real sets whose folders have one name: the
// record counts clips by source (RealSource), which would merge them.
func (d GeneralData) CheckRealNames() error {
	seen := map[string]string{}
	for _, dir := range d.RealSets() {
		base := filepath.Base(dir)
		if other, ok := seen[base]; ok {
			return fmt.Errorf("pretrain: Real (-real) %s and %s: two real sets named %q (the record counts clips by folder name)", other, dir, base)
		}
		seen[base] = dir
	}
	return nil
}

// RealSource is the validation source name of the i-th real set: "real"
// when there is one set (general-v1's and general-v2's records), else
// "real:<folder name>".
func (d GeneralData) RealSource(i int) string {
	sets := d.RealSets()
	if len(sets) == 1 {
		return "real"
	}
	return "real:" + filepath.Base(sets[i])
}

// Rule is the data rule in words, for the record and the zoo.
func (d GeneralData) Rule(initFrom string, worldAnimals, realClasses, realTrain, realVal int) string {
	real := fmt.Sprintf("%s (real speech and Scratch sounds, training only), %d training and %d validation clips split by recording",
		d.Real, realTrain, realVal)
	if sets := d.RealSets(); len(sets) > 1 {
		real = fmt.Sprintf("the real training sets %s (training only), %d training and %d validation clips, each set split by recording",
			strings.Join(sets, " and "), realTrain, realVal)
	}
	return fmt.Sprintf("fine-tuned from %s on %d classes: the %d pretraining animals of lib/synth's harder world "+
		"(World.Pretrain: birds-v1's 200 catalogue birds with call types and dialects, and 72 frogs, insects and mammals; "+
		"every held-out species stays out), %d training + %d validation scenes of 3 s each, caller one of %d individuals, "+
		"%.0f %% drawn with WideRanges and the rest with HardRanges; and the %d classes of %s; data seed %d",
		initFrom, worldAnimals+realClasses, worldAnimals, d.WorldTrainClips, d.WorldValClips, d.Individuals, 100*d.WideFraction,
		realClasses, real, d.DataSeed)
}
