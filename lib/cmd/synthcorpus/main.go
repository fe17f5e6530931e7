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
	"io"
	"os"

	"github.com/dawnchorus/dawnchorus/lib/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "synthcorpus:", err)
		if err == errUsage {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = fmt.Errorf("-out DIR is required")

// run parses args and writes the corpus.
func run(args []string, stdout, stderr io.Writer) error {
	var o synth.CorpusOptions
	flags := flag.NewFlagSet("synthcorpus", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("out", "", "output directory (created if missing)")
	flags.Uint64Var(&o.Seed, "seed", 1, "seed that determines everything")
	flags.IntVar(&o.Families, "families", 40, "families in the catalogue")
	flags.IntVar(&o.SpeciesPerFamily, "species-per-family", 8, "species per family in the catalogue")
	flags.IntVar(&o.CorpusFamilies, "corpus-families", 4, "families in the corpus")
	flags.IntVar(&o.CorpusSpeciesPerFamily, "corpus-species", 3, "species per family in the corpus")
	flags.IntVar(&o.IndividualsPerSpecies, "individuals", 3, "individuals per species")
	flags.IntVar(&o.RecordingsPerSpecies, "recordings", 10, "recordings per species")
	flags.Float64Var(&o.DurationSeconds, "seconds", 3, "recording length in seconds")
	flags.IntVar(&o.SampleRateHz, "rate", 22050, "sample rate in Hz (≥ 22050)")
	flags.Float64Var(&o.SNRMinDB, "snr-min", 0, "lowest SNR in dB")
	flags.Float64Var(&o.SNRMaxDB, "snr-max", 20, "highest SNR in dB")
	flags.IntVar(&o.MaxDistant, "max-distant", 2, "most distant background songs per recording")
	flags.IntVar(&o.MaxSpeciesPerRecording, "max-species", 1, "most foreground species per recording (> 1: multi-label)")
	if err := flags.Parse(args); err != nil {
		return errUsage
	}
	if *out == "" {
		flags.Usage()
		return errUsage
	}
	c, err := synth.WriteCorpus(*out, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synthcorpus: wrote %d recordings of %d species to %s\n", len(c.Recordings), len(c.Species), *out)
	return nil
}
