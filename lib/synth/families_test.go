package synth

import (
	"reflect"
	"strings"
	"testing"
)

func TestFamiliesOf(t *testing.T) {
	meta := []RecordingMetadata{
		{File: "audio/r0.wav", Species: "cutaites_foaris", Family: "Cutaiteidae"},
		{File: "audio/r1.wav", Species: "mysyola_gyalis", Family: "Mysyolidae"},
		{File: "audio/r2.wav", Species: "cutaites_foaris", Family: "Cutaiteidae"},
		{File: "audio/r3.wav", Species: "cutaites_phaeosa", Family: "Cutaiteidae"},
	}
	for _, c := range []struct {
		name    string
		meta    []RecordingMetadata
		species []string
		want    []string
		wantErr string
	}{
		{"classes in their own order", meta, []string{"mysyola_gyalis", "cutaites_foaris", "cutaites_phaeosa"},
			[]string{"Mysyolidae", "Cutaiteidae", "Cutaiteidae"}, ""},
		{"no species", meta, nil, []string{}, ""},
		{"unknown species", meta, []string{"cutaites_foaris", "fubaeus_viica"}, nil, `no recording of species "fubaeus_viica" in the metadata (4 recordings)`},
		{"two families", append(meta[:3:3], RecordingMetadata{File: "audio/r9.wav", Species: "cutaites_foaris", Family: "Mysyolidae"}),
			[]string{"cutaites_foaris"}, nil, "species cutaites_foaris is in family Cutaiteidae and in Mysyolidae (audio/r9.wav)"},
	} {
		got, err := FamiliesOf(c.meta, c.species)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case !reflect.DeepEqual(got, c.want):
			t.Errorf("%s: FamiliesOf = %q, want %q", c.name, got, c.want)
		}
	}
}
