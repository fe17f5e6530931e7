// Command synthcorpus writes a synthetic bird-song corpus (lib/synth): WAV files,
// labels.csv (OpenSoundscape form), metadata.csv, Raven selection tables and a
// DATASHEET.md. The output depends only on the flags: the same flags give the same
// bytes.
//
// The course's default corpus:
//
//	go run ./lib/cmd/synthcorpus -out datasets/synth-birds -seed 1
//
// With -hard it writes the harder corpus instead (lib/synth's
// WriteHardCorpus: birds with calls and dialects, frogs, insects and mammals,
// distance, reverberation, recorders, clipping, noisy backgrounds) from a pool
// of classes (-pool test, dev or pretrain), for example the hard transfer set:
//
//	go run ./lib/cmd/synthcorpus -hard -out datasets/synth-hard -seed 1 -pool test
//
// The flags -snr-min, -snr-max, -seconds, -recordings, -individuals and
// -max-species mean the same for both generators (the hard one's defaults are
// in brackets in their help); -rates, -pool and -classes are the hard
// corpus's.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

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
	hard := flags.Bool("hard", false, "write the harder corpus (synth.WriteHardCorpus) instead")
	pool := flags.String("pool", string(synth.PoolTest), "with -hard: the classes' pool: test, dev or pretrain")
	classes := flags.String("classes", "", "with -hard: comma-separated animal codes to use as classes instead of -pool's")
	rates := flags.String("rates", "", "with -hard: comma-separated recorder sample rates in Hz [16000,22050,24000,32000,44100,48000]")
	if err := flags.Parse(args); err != nil {
		return errUsage
	}
	if *out == "" {
		flags.Usage()
		return errUsage
	}
	if *hard {
		set := map[string]bool{}
		flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
		return runHard(*out, o, set, *pool, *classes, *rates, stdout)
	}
	c, err := synth.WriteCorpus(*out, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synthcorpus: wrote %d recordings of %d species to %s\n", len(c.Recordings), len(c.Species), *out)
	return nil
}

// runHard writes the harder corpus; set holds the flags given on the command
// line (the others keep the hard corpus's own defaults, not the first
// generator's).
func runHard(out string, o synth.CorpusOptions, set map[string]bool, pool, classes, rates string, stdout io.Writer) error {
	ranges := synth.HardRanges()
	h := synth.HardCorpusOptions{ClipsOptions: synth.ClipsOptions{Seed: o.Seed, Pool: synth.Pool(pool), Ranges: &ranges}}
	if set["recordings"] {
		h.RecordingsPerClass = o.RecordingsPerSpecies
	}
	if set["individuals"] {
		h.IndividualsPerClass = o.IndividualsPerSpecies
	}
	if set["seconds"] {
		h.DurationSeconds = o.DurationSeconds
	}
	if set["max-species"] {
		h.MaxLabelled = o.MaxSpeciesPerRecording
	}
	if set["snr-min"] {
		ranges.SNRdB.Min = o.SNRMinDB
	}
	if set["snr-max"] {
		ranges.SNRdB.Max = o.SNRMaxDB
	}
	for _, name := range []string{"families", "species-per-family", "corpus-families", "corpus-species", "rate", "max-distant"} {
		if set[name] {
			return fmt.Errorf("-%s is not an option of the hard corpus (-hard)", name)
		}
	}
	if classes != "" {
		h.Classes = strings.Split(classes, ",")
	}
	if rates != "" {
		ranges.SampleRatesHz = nil
		for _, field := range strings.Split(rates, ",") {
			rate, err := strconv.Atoi(strings.TrimSpace(field))
			if err != nil {
				return fmt.Errorf("-rates: %q is not a whole number of Hz", field)
			}
			ranges.SampleRatesHz = append(ranges.SampleRatesHz, rate)
		}
	}
	c, err := synth.WriteHardCorpus(out, h)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synthcorpus: wrote %d recordings of %d classes (pool %s) to %s\n", len(c.Recordings), len(c.Classes), c.Options.Pool, out)
	return nil
}
