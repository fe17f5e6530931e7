package synth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadCorpusMetadataRoundTrip writes a small corpus and reads its metadata back:
// every field must match what WriteCorpus returned.
func TestReadCorpusMetadataRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c, err := WriteCorpus(dir, CorpusOptions{Seed: 3, CorpusFamilies: 2, CorpusSpeciesPerFamily: 1,
		IndividualsPerSpecies: 2, RecordingsPerSpecies: 2, DurationSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadCorpusMetadata(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(c.Recordings) {
		t.Fatalf("%d rows, want %d", len(got), len(c.Recordings))
	}
	for i, r := range c.Recordings {
		focal := c.Catalogue.Species[r.Voices[0].Species]
		m := got[i]
		if m.File != r.File || m.Species != focal.Code || m.Family != c.Catalogue.Families[focal.Family].Name ||
			m.Individual != r.Voices[0].Individual {
			t.Errorf("row %d: %+v, want file %s species %s individual %d", i, m, r.File, focal.Code, r.Voices[0].Individual)
		}
		// SelectionsFile names the table written beside the recording.
		name := strings.TrimSuffix(strings.TrimPrefix(m.File, "audio/"), ".wav")
		if sel := SelectionsFile(m.File); sel != "selections/"+name+".Raven.selections.txt" {
			t.Errorf("row %d: SelectionsFile(%s) = %s", i, m.File, sel)
		} else if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(sel))); err != nil {
			t.Errorf("row %d: %v", i, err)
		}
		if d := m.SNRdB - r.Recording.SNRdB; d > 0.005 || d < -0.005 { // written with 2 decimals
			t.Errorf("row %d: SNR %v, want %v", i, m.SNRdB, r.Recording.SNRdB)
		}
		if len(m.Noise) != len(r.Noise) {
			t.Errorf("row %d: noise %v, want %v", i, m.Noise, r.Noise)
			continue
		}
		for j, n := range r.Noise {
			if m.Noise[j] != n.String() {
				t.Errorf("row %d: noise %v, want %v", i, m.Noise, r.Noise)
			}
		}
	}
}

// TestBirds checks each recording's bird against the name WriteCorpus gives its file,
// r<index>_<species>_i<individual>.wav, and that BirdsByFile finds it by file.
func TestBirds(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteCorpus(dir, CorpusOptions{Seed: 5, CorpusFamilies: 2, CorpusSpeciesPerFamily: 2,
		IndividualsPerSpecies: 3, RecordingsPerSpecies: 4, DurationSeconds: 1}); err != nil {
		t.Fatal(err)
	}
	meta, err := ReadCorpusMetadata(dir)
	if err != nil {
		t.Fatal(err)
	}
	byFile := BirdsByFile(meta)
	if len(byFile) != len(meta) {
		t.Errorf("BirdsByFile: %d files, want %d", len(byFile), len(meta))
	}
	individuals := map[string]bool{}
	for _, m := range meta {
		name := strings.TrimSuffix(filepath.Base(m.File), ".wav")
		want := name[strings.Index(name, "_")+1:]
		if got := m.Bird(); got != want {
			t.Errorf("%s: bird %q, want %q", m.File, got, want)
		}
		if got := byFile[m.File]; got != want {
			t.Errorf("BirdsByFile[%s] = %q, want %q", m.File, got, want)
		}
		individuals[want] = true
	}
	if len(individuals) != 4*3 { // 4 species, 3 individuals each, 4 recordings each: all sing
		t.Errorf("%d distinct birds, want 12", len(individuals))
	}
}

func TestReadCorpusMetadataErrors(t *testing.T) {
	const header = "file,species,family,individual,snr_db,noise\n"
	for _, tc := range []struct {
		name, content, want string
	}{
		{"a missing column", "file,species,family,individual,noise\na.wav,x,f,0,rain\n", `no column "snr_db"`},
		{"an individual that is not a number", header + "a.wav,x,f,0,1.5,rain\nb.wav,x,f,two,1.5,rain\n", `line 3: individual "two"`},
		{"an SNR that is not a number", header + "a.wav,x,f,0,loud,rain\n", `line 2: snr_db "loud"`},
		{"a short row", header + "a.wav,x\n", "wrong number of fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "metadata.csv"), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadCorpusMetadata(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "metadata.csv") {
				t.Errorf("error %v, want one naming metadata.csv and containing %q", err, tc.want)
			}
		})
	}
	if _, err := ReadCorpusMetadata(t.TempDir()); err == nil || !strings.Contains(err.Error(), "metadata.csv") {
		t.Errorf("missing file: error %v, want one naming metadata.csv", err)
	}
}

// TestBirdsOfFiles checks Birds against the bird each file's name carries, in the order
// asked (reversed here, with a repeat), and that an unlisted file is an error naming it.
func TestBirdsOfFiles(t *testing.T) {
	dir := t.TempDir()
	c, err := WriteCorpus(dir, CorpusOptions{Seed: 7, CorpusFamilies: 1, CorpusSpeciesPerFamily: 2,
		IndividualsPerSpecies: 2, RecordingsPerSpecies: 2, DurationSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var files, want []string
	for i := len(c.Recordings) - 1; i >= 0; i-- {
		f := c.Recordings[i].File
		name := strings.TrimSuffix(filepath.Base(f), ".wav")
		files, want = append(files, f), append(want, name[strings.Index(name, "_")+1:])
	}
	files, want = append(files, files[0]), append(want, want[0])
	got, err := Birds(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Birds = %v, want %v", got, want)
	}
	if _, err := Birds(dir, []string{"audio/nobody.wav"}); err == nil || !strings.Contains(err.Error(), "audio/nobody.wav") {
		t.Errorf("an unlisted file: error %v, want one naming it", err)
	}
	if _, err := Birds(filepath.Join(dir, "missing"), files); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a missing directory: error %v, want one naming it", err)
	}
}
