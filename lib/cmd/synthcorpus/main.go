// Command synthcorpus writes a synthetic bird-song corpus (lib/synth): WAV files,
// labels.csv (OpenSoundscape form), metadata.csv, Raven selection tables and a
// DATASHEET.md. The output depends only on the flags: the same flags give the same
// bytes.
//
// The course's default corpus:
//
//	go run ./lib/cmd/synthcorpus -out datasets/synth-birds -seed 1
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dawnchorus/dawnchorus/lib/synth"
)

func main() {
	var o synth.CorpusOptions
	out := flag.String("out", "", "output directory (created if missing)")
	flag.Uint64Var(&o.Seed, "seed", 1, "seed that determines everything")
	flag.IntVar(&o.Families, "families", 40, "families in the catalogue")
	flag.IntVar(&o.SpeciesPerFamily, "species-per-family", 8, "species per family in the catalogue")
	flag.IntVar(&o.CorpusFamilies, "corpus-families", 4, "families in the corpus")
	flag.IntVar(&o.CorpusSpeciesPerFamily, "corpus-species", 3, "species per family in the corpus")
	flag.IntVar(&o.IndividualsPerSpecies, "individuals", 3, "individuals per species")
	flag.IntVar(&o.RecordingsPerSpecies, "recordings", 10, "recordings per species")
	flag.Float64Var(&o.DurationSeconds, "seconds", 3, "recording length in seconds")
	flag.IntVar(&o.SampleRateHz, "rate", 22050, "sample rate in Hz (≥ 22050)")
	flag.Float64Var(&o.SNRMinDB, "snr-min", 0, "lowest SNR in dB")
	flag.Float64Var(&o.SNRMaxDB, "snr-max", 20, "highest SNR in dB")
	flag.IntVar(&o.MaxDistant, "max-distant", 2, "most distant background songs per recording")
	flag.IntVar(&o.MaxSpeciesPerRecording, "max-species", 1, "most foreground species per recording (> 1: multi-label)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "synthcorpus: -out DIR is required")
		flag.Usage()
		os.Exit(2)
	}
	c, err := synth.WriteCorpus(*out, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthcorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("synthcorpus: wrote %d recordings of %d species to %s\n", len(c.Recordings), len(c.Species), *out)
}
