package synth

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// RecordingMetadata is what a corpus's metadata.csv (written by [WriteCorpus]) says about
// one recording, read back by a program that did not generate the corpus.
type RecordingMetadata struct {
	// File is the WAV path relative to the corpus folder, as labels.csv spells it.
	File string
	// Species and Family are the focal species' code and its family's name.
	Species, Family string
	// Individual is which individual of its species sings (0, 1, ...).
	Individual int
	// SNRdB is the focal songs' signal-to-noise ratio, in dB.
	SNRdB float64
	// Noise lists the background noise kinds, in the file's order ("rain", "pink", ...).
	Noise []string
}

// Bird names the bird that sings in the recording: its species and individual,
// "cutaites_foaris_i0". Recordings of one bird share its song, so a split that asks whether a
// classifier knows the species rather than the singer keeps each bird in one part, grouping
// by this name; [WriteCorpus] writes it into the file name too ("r0000_cutaites_foaris_i0.wav").
func (m RecordingMetadata) Bird() string {
	return fmt.Sprintf("%s_i%d", m.Species, m.Individual)
}

// BirdsByFile maps the File of each of meta to its [RecordingMetadata.Bird], to look up the
// bird of a labels.csv row by its file.
func BirdsByFile(meta []RecordingMetadata) map[string]string {
	birds := make(map[string]string, len(meta))
	for _, m := range meta {
		birds[m.File] = m.Bird()
	}
	return birds
}

// metadataColumns are the columns ReadCorpusMetadata needs.
var metadataColumns = []string{"file", "species", "family", "individual", "snr_db", "noise"}

// ReadCorpusMetadata reads dir/metadata.csv, one entry per recording in the file's order
// (that of labels.csv). Columns are found by name; a missing column or a value that does
// not parse is an error naming the file, the line and the column.
func ReadCorpusMetadata(dir string) ([]RecordingMetadata, error) {
	path := filepath.Join(dir, "metadata.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("synth: %s: reading the header: %w", path, err)
	}
	column := map[string]int{}
	for j, name := range header {
		column[name] = j
	}
	for _, name := range metadataColumns {
		if _, ok := column[name]; !ok {
			return nil, fmt.Errorf("synth: %s: no column %q (header %v)", path, name, header)
		}
	}
	var out []RecordingMetadata
	for line := 2; ; line++ {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("synth: %s: %w", path, err)
		}
		individual, err := strconv.Atoi(row[column["individual"]])
		if err != nil {
			return nil, fmt.Errorf("synth: %s line %d: individual %q is not a whole number", path, line, row[column["individual"]])
		}
		snr, err := strconv.ParseFloat(row[column["snr_db"]], 64)
		if err != nil {
			return nil, fmt.Errorf("synth: %s line %d: snr_db %q is not a number", path, line, row[column["snr_db"]])
		}
		m := RecordingMetadata{File: row[column["file"]], Species: row[column["species"]], Family: row[column["family"]],
			Individual: individual, SNRdB: snr}
		if noise := row[column["noise"]]; noise != "" {
			m.Noise = strings.Split(noise, ";")
		}
		out = append(out, m)
	}
}

// MustReadCorpusMetadata is [ReadCorpusMetadata] for notebooks: it panics on error.
func MustReadCorpusMetadata(dir string) []RecordingMetadata {
	m, err := ReadCorpusMetadata(dir)
	if err != nil {
		panic(err)
	}
	return m
}

// FamiliesOf returns the family of each of species (species codes, as a label table's
// classes spell them), read from meta: a label table's classes in the order of its columns
// give one family per class. A species no recording of meta holds is an error naming it; a
// species meta gives two families is an error naming both.
func FamiliesOf(meta []RecordingMetadata, species []string) ([]string, error) {
	familyOf := map[string]string{}
	for _, m := range meta {
		if f, ok := familyOf[m.Species]; ok && f != m.Family {
			return nil, fmt.Errorf("synth: species %s is in family %s and in %s (%s)", m.Species, f, m.Family, m.File)
		}
		familyOf[m.Species] = m.Family
	}
	families := make([]string, len(species))
	for k, s := range species {
		f, ok := familyOf[s]
		if !ok {
			return nil, fmt.Errorf("synth: no recording of species %q in the metadata (%d recordings)", s, len(meta))
		}
		families[k] = f
	}
	return families, nil
}

// MustFamiliesOf is [FamiliesOf] for notebooks: it panics on an error.
func MustFamiliesOf(meta []RecordingMetadata, species []string) []string {
	families, err := FamiliesOf(meta, species)
	if err != nil {
		panic(err)
	}
	return families
}

// Birds returns the bird ([RecordingMetadata.Bird]) singing in each of files, in order, as
// dir/metadata.csv records them: the groups of a bootstrap or a split that redraws or keeps
// together whole birds. A file that metadata.csv does not list is an error naming it.
func Birds(dir string, files []string) ([]string, error) {
	meta, err := ReadCorpusMetadata(dir)
	if err != nil {
		return nil, err
	}
	birdOf := BirdsByFile(meta)
	birds := make([]string, len(files))
	for i, f := range files {
		bird, ok := birdOf[f]
		if !ok {
			return nil, fmt.Errorf("synth: %s is not listed in %s", f, filepath.Join(dir, "metadata.csv"))
		}
		birds[i] = bird
	}
	return birds, nil
}

// MustBirds is [Birds] for notebooks: it panics on error.
func MustBirds(dir string, files []string) []string {
	birds, err := Birds(dir, files)
	if err != nil {
		panic(err)
	}
	return birds
}

// SelectionsFile returns the path, relative to a corpus's folder and with forward
// slashes, of the Raven selection table [WriteCorpus] and [WriteHardCorpus] write for the
// recording whose audio file is file (as labels.csv names it): audio/NAME.wav has its
// songs in selections/NAME.Raven.selections.txt. It is what dataset.FocalOptions'
// Selections asks for.
func SelectionsFile(file string) string {
	name := strings.TrimSuffix(filepath.Base(filepath.FromSlash(file)), ".wav")
	return "selections/" + name + ".Raven.selections.txt"
}
