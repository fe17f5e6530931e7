package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// CorpusOptions configures WriteCorpus. Zero fields take the defaults in brackets.
type CorpusOptions struct {
	// Seed determines everything.
	Seed uint64
	// Families and SpeciesPerFamily size the catalogue the species come from [40, 8].
	Families, SpeciesPerFamily int
	// CorpusFamilies and CorpusSpeciesPerFamily choose the species in the corpus:
	// the first CorpusSpeciesPerFamily species of each of the first CorpusFamilies
	// families [4, 3].
	CorpusFamilies, CorpusSpeciesPerFamily int
	// IndividualsPerSpecies is how many individuals of each species sing [3].
	IndividualsPerSpecies int
	// RecordingsPerSpecies is how many recordings have each species in the
	// foreground; individuals take turns [10].
	RecordingsPerSpecies int
	// DurationSeconds is each recording's length [3].
	DurationSeconds float64
	// SampleRateHz is the sample rate [22050].
	SampleRateHz int
	// SNRMinDB and SNRMaxDB bound the uniformly drawn SNR [0, 20].
	SNRMinDB, SNRMaxDB float64
	// MaxDistant is the most distant background songs per recording [2].
	MaxDistant int
	// MaxSpeciesPerRecording > 1 adds up to that many foreground species (from the
	// corpus) to some recordings, making the labels multi-label [1].
	MaxSpeciesPerRecording int
}

// withDefaults returns the options with the zero fields filled in.
func (o CorpusOptions) withDefaults() CorpusOptions {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Families, 40)
	def(&o.SpeciesPerFamily, 8)
	def(&o.CorpusFamilies, 4)
	def(&o.CorpusSpeciesPerFamily, 3)
	def(&o.IndividualsPerSpecies, 3)
	def(&o.RecordingsPerSpecies, 10)
	def(&o.SampleRateHz, 22050)
	def(&o.MaxDistant, 2)
	def(&o.MaxSpeciesPerRecording, 1)
	if o.DurationSeconds == 0 {
		o.DurationSeconds = 3
	}
	if o.SNRMinDB == 0 && o.SNRMaxDB == 0 {
		o.SNRMaxDB = 20
	}
	return o
}

// CorpusRecording describes one file of a corpus.
type CorpusRecording struct {
	// File is the WAV path relative to the corpus directory ("audio/….wav").
	File string
	// Voices are the foreground singers; Voices[0] is the focal one.
	Voices []Voice
	// Recording holds the events and mixing figures (Samples is nil once written).
	Recording *Recording
	// Noise lists the background noises.
	Noise []NoiseKind
}

// Corpus is what WriteCorpus wrote.
type Corpus struct {
	// Options are the options used, defaults filled in.
	Options CorpusOptions
	// Catalogue is the species catalogue.
	Catalogue *Catalogue
	// Species are the catalogue indices of the corpus species (the label columns).
	Species []int
	// Recordings are the files, in order.
	Recordings []CorpusRecording
}

// WriteCorpus generates a corpus into dir: audio/*.wav (16-bit PCM), labels.csv
// (OpenSoundscape form: file,start_time,end_time, one 0/1 column per species),
// metadata.csv (species, family, individual, SNR, gain, noise, distant species per
// file), selections/*.txt (one Raven Pro selection table per file, one selection
// per foreground song, annotation column "Species") and DATASHEET.md. Every file is
// written atomically, and the output is the same, byte for byte, for the same
// options (on the same GOARCH).
func WriteCorpus(dir string, o CorpusOptions) (*Corpus, error) {
	corpus, err := newCorpus(o)
	if err != nil {
		return nil, err
	}
	if err := writeCorpusFiles(dir, corpus.Recordings, corpus.writeRecording, corpus.writeTables); err != nil {
		return nil, err
	}
	return corpus, nil
}

// newCorpus checks the options, fills in the defaults and makes the catalogue,
// the corpus species and room for the recordings, without writing anything.
func newCorpus(o CorpusOptions) (*Corpus, error) {
	o = o.withDefaults()
	if o.CorpusFamilies > o.Families || o.CorpusSpeciesPerFamily > o.SpeciesPerFamily {
		return nil, fmt.Errorf("synth: corpus of %d×%d species from a catalogue of %d×%d", o.CorpusFamilies, o.CorpusSpeciesPerFamily, o.Families, o.SpeciesPerFamily)
	}
	if o.IndividualsPerSpecies < 1 || o.RecordingsPerSpecies < 1 || o.SNRMaxDB < o.SNRMinDB {
		return nil, fmt.Errorf("synth: %d individuals, %d recordings per species, SNR %v–%v dB: want ≥ 1, ≥ 1, min ≤ max", o.IndividualsPerSpecies, o.RecordingsPerSpecies, o.SNRMinDB, o.SNRMaxDB)
	}
	cat, err := NewCatalogue(o.Seed, o.Families, o.SpeciesPerFamily)
	if err != nil {
		return nil, err
	}
	corpus := &Corpus{Options: o, Catalogue: cat}
	for f := 0; f < o.CorpusFamilies; f++ {
		for s := 0; s < o.CorpusSpeciesPerFamily; s++ {
			corpus.Species = append(corpus.Species, f*o.SpeciesPerFamily+s)
		}
	}
	corpus.Recordings = make([]CorpusRecording, len(corpus.Species)*o.RecordingsPerSpecies)
	return corpus, nil
}

// writeRecording draws, renders and writes recording i; it depends only on i.
func (c *Corpus) writeRecording(dir string, i int) (CorpusRecording, error) {
	o := c.Options
	rng := rngFor(o.Seed, streamRecording, 1<<40+uint64(i))
	focal := Voice{Species: c.Species[i/o.RecordingsPerSpecies], Individual: (i % o.RecordingsPerSpecies) % o.IndividualsPerSpecies}
	voices := []Voice{focal}
	if o.MaxSpeciesPerRecording > 1 {
		extra := rng.IntN(o.MaxSpeciesPerRecording)
		for _, k := range rng.Perm(len(c.Species)) {
			if len(voices) > extra || c.Species[k] == focal.Species {
				continue
			}
			voices = append(voices, Voice{Species: c.Species[k], Individual: rng.IntN(o.IndividualsPerSpecies)})
		}
	}
	noiseKinds := []NoiseKind{NoiseKind(rng.IntN(corpusNoiseKinds))}
	if rng.IntN(2) == 0 {
		if second := NoiseKind(rng.IntN(corpusNoiseKinds)); second != noiseKinds[0] {
			noiseKinds = append(noiseKinds, second)
		}
	}
	var distant []Voice
	for d := rng.IntN(o.MaxDistant + 1); d > 0; d-- {
		// Distant singers come from outside the corpus when the catalogue allows.
		sp := rng.IntN(len(c.Catalogue.Species))
		distant = append(distant, Voice{Species: sp, Individual: rng.IntN(5)})
	}
	snr := o.SNRMinDB + (o.SNRMaxDB-o.SNRMinDB)*rng.Float64()
	rec, err := c.Catalogue.Record(1<<40+uint64(i), RecordingOptions{
		DurationSeconds: o.DurationSeconds, SampleRateHz: o.SampleRateHz, Foreground: voices,
		SNRdB: snr, Noise: noiseKinds, Distant: distant,
	})
	if err != nil {
		return CorpusRecording{}, err
	}
	name := fmt.Sprintf("r%04d_%s_i%d", i, c.Catalogue.Species[focal.Species].Code, focal.Individual)
	file := "audio/" + name + ".wav"
	if err := audio.WriteWAV(filepath.Join(dir, filepath.FromSlash(file)), [][]float32{rec.Samples}, rec.SampleRateHz, audio.WAV16); err != nil {
		return CorpusRecording{}, err
	}
	if err := atomicfile.Write(filepath.Join(dir, filepath.FromSlash(SelectionsFile(file))), func(w io.Writer) error {
		return c.writeRaven(w, rec)
	}); err != nil {
		return CorpusRecording{}, err
	}
	rec.Samples = nil
	return CorpusRecording{File: file, Voices: voices, Recording: rec, Noise: noiseKinds}, nil
}

func ff(v float64, digits int) string { return strconv.FormatFloat(v, 'f', digits, 64) }

func (c *Corpus) writeRaven(w io.Writer, rec *Recording) error {
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\n")
	events := append([]Event(nil), rec.Events...)
	sort.SliceStable(events, func(a, b int) bool { return events[a].StartSeconds < events[b].StartSeconds })
	for k, e := range events {
		fmt.Fprintf(bw, "%d\tSpectrogram 1\t1\t%s\t%s\t%s\t%s\t%s\n", k+1, ff(e.StartSeconds, 4), ff(e.EndSeconds, 4),
			ff(e.LowHz, 1), ff(e.HighHz, 1), c.Catalogue.Species[e.Voice.Species].Code)
	}
	return bw.Flush()
}

func (c *Corpus) writeTables(dir string) error {
	o := c.Options
	code := func(species int) string { return c.Catalogue.Species[species].Code }
	err := writeLabelsCSV(filepath.Join(dir, "labels.csv"), c.Species, code, o.DurationSeconds, len(c.Recordings),
		func(r int) (string, []int) {
			var species []int
			for _, v := range c.Recordings[r].Voices {
				species = append(species, v.Species)
			}
			return c.Recordings[r].File, species
		})
	if err != nil {
		return err
	}
	err = atomicfile.Write(filepath.Join(dir, "metadata.csv"), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, "file,species,family,individual,other_foreground_species,snr_db,peak_gain,noise,distant_species,first_song_start_s,songs\n")
		for _, r := range c.Recordings {
			focal := c.Catalogue.Species[r.Voices[0].Species]
			var others, noises, distant []string
			for _, v := range r.Voices[1:] {
				others = append(others, c.Catalogue.Species[v.Species].Code)
			}
			for _, n := range r.Noise {
				noises = append(noises, n.String())
			}
			for _, e := range r.Recording.Background {
				distant = append(distant, c.Catalogue.Species[e.Voice.Species].Code)
			}
			first, songs := math.Inf(1), 0
			for _, e := range r.Recording.Events {
				if e.Voice == r.Voices[0] {
					first = math.Min(first, e.StartSeconds)
					songs++
				}
			}
			fmt.Fprintf(bw, "%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%d\n", r.File, focal.Code, c.Catalogue.Families[focal.Family].Name,
				r.Voices[0].Individual, strings.Join(others, ";"), ff(r.Recording.SNRdB, 2), ff(r.Recording.PeakGain, 4),
				strings.Join(noises, ";"), strings.Join(distant, ";"), ff(first, 4), songs)
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "DATASHEET.md"), func(w io.Writer) error { return c.writeDatasheet(w) })
}

func (c *Corpus) writeDatasheet(w io.Writer) error {
	o := c.Options
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# Data sheet: synthetic bird-song corpus (seed %d)\n\n", o.Seed)
	p("Generated by `lib/synth` (dawnchorus). Every file follows from the options below; regenerate with\n\n")
	p("```\ngo run ./lib/cmd/synthcorpus -out DIR -seed %d -families %d -species-per-family %d -corpus-families %d -corpus-species %d -individuals %d -recordings %d -seconds %s -rate %d -snr-min %s -snr-max %s -max-distant %d -max-species %d\n```\n\n",
		o.Seed, o.Families, o.SpeciesPerFamily, o.CorpusFamilies, o.CorpusSpeciesPerFamily, o.IndividualsPerSpecies,
		o.RecordingsPerSpecies, ff(o.DurationSeconds, 3), o.SampleRateHz, ff(o.SNRMinDB, 2), ff(o.SNRMaxDB, 2), o.MaxDistant, o.MaxSpeciesPerRecording)
	p("## Motivation\n\nA stand-in for field recordings that a course cannot download or redistribute: songs whose structure\n")
	p("(species within families, individuals within species) is known exactly, so lessons can show what a\n")
	p("classifier, an embedding or a clustering recovers, and grade against the truth.\n\n")
	p("## Composition\n\n")
	p("- %d recordings of %s s, mono, %d Hz, 16-bit PCM WAV (`audio/`).\n", len(c.Recordings), ff(o.DurationSeconds, 3), o.SampleRateHz)
	p("- %d species from %d families (%d per family), drawn from a catalogue of %d species in %d families.\n",
		len(c.Species), o.CorpusFamilies, o.CorpusSpeciesPerFamily, len(c.Catalogue.Species), len(c.Catalogue.Families))
	p("- %d recordings per species with it as the focal singer; %d individuals per species, taking turns.\n", o.RecordingsPerSpecies, o.IndividualsPerSpecies)
	if o.MaxSpeciesPerRecording > 1 {
		p("- Multi-label: up to %d foreground species per recording.\n", o.MaxSpeciesPerRecording)
	} else {
		p("- Single-label: one foreground species per recording.\n")
	}
	p("- SNR drawn uniformly in [%s, %s] dB; background of 1–2 of pink noise, brown noise, wind, rain; 0–%d distant songs\n", ff(o.SNRMinDB, 1), ff(o.SNRMaxDB, 1), o.MaxDistant)
	p("  of any catalogue species (unlabelled, low-passed, quieter); peak gain drawn in [0.1, 0.8].\n\n")
	p("| species | family | recordings | song band (Hz) | syllable types |\n|---|---|---|---|---|\n")
	for _, s := range c.Species {
		sp := c.Catalogue.Species[s]
		lo, hi := sp.Song.Band(math.Min(MaxHz, 0.45*float64(o.SampleRateHz)))
		var kinds []string
		for _, syl := range sp.Song.Syllables {
			kinds = append(kinds, syl.Kind.String())
		}
		p("| %s | %s | %d | %.0f–%.0f | %s |\n", sp.Code, c.Catalogue.Families[sp.Family].Name, o.RecordingsPerSpecies, lo, hi, strings.Join(kinds, ", "))
	}
	p("\n## Files\n\n")
	p("- `labels.csv`: OpenSoundscape form, `file,start_time,end_time` then one 0/1 column per species; one row per\n")
	p("  recording (the whole file).\n")
	p("- `metadata.csv`: focal species, family, individual, other foreground species, SNR (dB), peak gain, noise kinds,\n")
	p("  distant species, first song start (s) and number of songs of the focal singer.\n")
	p("- `selections/*.Raven.selections.txt`: Raven Pro selection tables, one selection per foreground song\n")
	p("  (`Begin Time (s)`, `End Time (s)`, `Low Freq (Hz)`, `High Freq (Hz)`, annotation column `Species`).\n\n")
	p("## Collection process\n\nNo recording: every sample is computed (`lib/synth`). Species perturb a family prototype (frequency ±12%%,\n")
	p("durations ±20%%, pattern edits); individuals perturb their species (frequency ±2%%, durations ±4%%), always the\n")
	p("same way; each song rendition jitters (frequency ±0.4%%, durations ±2%%, gaps ±8%%). SNR is the foreground's mean\n")
	p("power inside its songs over the background's mean power.\n\n")
	p("## Uses and limits\n\nFor teaching and testing. The songs are bird-*like*, not birds: no real species, no real acoustics\n")
	p("(no reverberation, no Doppler, no overlapping choruses beyond the few voices listed). Results on this corpus say\n")
	p("nothing about real data by themselves. Clips of one recording must stay in one split (group by `file`).\n\n")
	p("## License\n\nGenerated data, dedicated to the public domain (CC0).\n")
	return bw.Flush()
}
