package pretrain

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/synth"
)

// TestHeldOutRule: the pretraining species are 5 of every family, and the
// course corpus' 12 species (read from its data sheet) are all held out.
func TestHeldOutRule(t *testing.T) {
	cat, err := synth.NewCatalogue(1, 40, 8)
	if err != nil {
		t.Fatal(err)
	}
	species := Species(cat, 8, 3)
	if len(species) != 200 {
		t.Fatalf("%d pretraining species, want 200", len(species))
	}
	pretrained := map[string]bool{}
	perFamily := map[int]int{}
	for _, s := range species {
		sp := cat.Species[s]
		if sp.Index-8*sp.Family < 3 {
			t.Errorf("species %d is one of the first 3 of family %d", s, sp.Family)
		}
		pretrained[sp.Code] = true
		perFamily[sp.Family]++
	}
	for f := range 40 {
		if perFamily[f] != 5 {
			t.Errorf("family %d has %d pretraining species, want 5", f, perFamily[f])
		}
	}
	sheet, err := os.ReadFile("../../datasets/synth-birds/DATASHEET.md")
	if err != nil {
		t.Fatal(err)
	}
	corpusCodes := 0
	for _, line := range strings.Split(string(sheet), "\n") {
		fields := strings.Split(line, "|")
		if len(fields) < 3 || !strings.Contains(fields[1], "_") {
			continue
		}
		code := strings.TrimSpace(fields[1])
		sp, ok := cat.SpeciesByCode(code)
		if !ok {
			t.Errorf("corpus species %s is not in the catalogue of seed 1: the catalogues differ", code)
			continue
		}
		corpusCodes++
		if pretrained[code] || sp.Index-8*sp.Family >= 3 {
			t.Errorf("corpus species %s (index %d) is not held out", code, sp.Index)
		}
	}
	if corpusCodes != 12 {
		t.Errorf("found %d corpus species in the data sheet, want 12", corpusCodes)
	}
	// Species identity depends only on the catalogue's seed and size.
	again, _ := synth.NewCatalogue(1, 40, 8)
	if !reflect.DeepEqual(cat.Species, again.Species) {
		t.Error("two catalogues of seed 1 differ")
	}
}

// TestRenderClipDeterministic: a clip depends only on the data seed and its
// index, and has the front end's shape and range.
func TestRenderClipDeterministic(t *testing.T) {
	cat, _ := synth.NewCatalogue(1, 40, 8)
	fe, err := spectro.NewFrontEnd(spectro.FrontEndOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := CorpusOptions{Individuals: 10, SNRMinDB: -3, SNRMaxDB: 20, DataSeed: 5}
	species := Species(cat, 8, 3)
	size := fe.Shape()[0] * fe.Shape()[1]
	a, b, other := make([]float32, size), make([]float32, size), make([]float32, size)
	for _, im := range []struct {
		image []float32
		index int
	}{{a, 7}, {b, 7}, {other, 8}} {
		if err := renderClip(cat, fe, c, species, 0, im.index, im.image); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(a, b) || reflect.DeepEqual(a, other) {
		t.Error("clip 7 differs between renders, or equals clip 8")
	}
	for _, v := range a {
		if v < 0 || v > 1 {
			t.Fatalf("image value %v outside [0, 1]", v)
		}
	}
}

// TestRenderSets: Render puts clip i of the whole list (species by species, a
// species' training clips then its validation clips) in its place in its set,
// with its species as label: each image is the clip renderClip makes alone.
func TestRenderSets(t *testing.T) {
	c := CorpusOptions{CatalogueSeed: 1, Families: 2, SpeciesPerFamily: 4, HeldOut: 2, TrainClips: 3, ValClips: 2,
		Individuals: 4, SNRMinDB: 0, SNRMaxDB: 20, DataSeed: 9}
	species, classes, trainSet, valSet, err := c.Render()
	if err != nil {
		t.Fatal(err)
	}
	if len(species) != 4 || len(classes) != 4 {
		t.Fatalf("%d species, %d classes; want 4", len(species), len(classes))
	}
	cat, _ := synth.NewCatalogue(c.CatalogueSeed, c.Families, c.SpeciesPerFamily)
	fe, err := spectro.NewFrontEnd(spectro.FrontEndOptions{})
	if err != nil {
		t.Fatal(err)
	}
	size := fe.Shape()[0] * fe.Shape()[1]
	for _, tc := range []struct {
		name    string
		set     []float32
		labels  []int
		clips   int
		inClips func(k, n int) int // the index in the whole list of the set's clip n of species k
	}{
		{"training", trainSet.Images, trainSet.Labels.Index, c.TrainClips, func(k, n int) int { return k*(c.TrainClips+c.ValClips) + n }},
		{"validation", valSet.Images, valSet.Labels.Index, c.ValClips, func(k, n int) int { return k*(c.TrainClips+c.ValClips) + c.TrainClips + n }},
	} {
		if len(tc.set) != len(species)*tc.clips*size || len(tc.labels) != len(species)*tc.clips {
			t.Fatalf("%s set: %d values, %d labels; want %d clips of %d values", tc.name, len(tc.set), len(tc.labels), len(species)*tc.clips, size)
		}
		want := make([]float32, size)
		for k := range species {
			for n := range tc.clips {
				at := k*tc.clips + n
				if err := renderClip(cat, fe, c, species, k, tc.inClips(k, n), want); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(tc.set[at*size:(at+1)*size], want) {
					t.Errorf("%s set, clip %d: not clip %d of the list", tc.name, at, tc.inClips(k, n))
				}
				if tc.labels[at] != k {
					t.Errorf("%s set, clip %d: class %d, want %d", tc.name, at, tc.labels[at], k)
				}
			}
		}
	}
}
