package synth_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/synth"
)

// A catalogue is a pure function of its seed: the same seed names the same
// species, with the same songs, on every machine.
func ExampleNewCatalogue() {
	catalogue, err := synth.NewCatalogue(1, 40, 8)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(catalogue.Families), "families,", len(catalogue.Species), "species")
	first := catalogue.Species[0]
	fmt.Println(first.Code, "of", catalogue.Families[first.Family].Name)
	// Output:
	// 40 families, 320 species
	// cutaites_foaris of Cutaiteidae
}
