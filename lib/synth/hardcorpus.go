package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/audio"
)

// Pool names which animals a hard corpus's classes are.
type Pool string

const (
	// PoolTest is the held-out evaluation pool, the one results are reported on:
	// the first two (held-out) species of bird families 20–25 and of genera 4–5
	// of frogs, insects and mammals (24 classes with the default world).
	PoolTest Pool = "test"
	// PoolDev is the held-out development pool, for choosing (tuning the
	// corpus's difficulty, choosing an extractor) and never for reporting: the
	// first two species of bird families 10–15 and of genera 0–1 of the other
	// taxa (24 classes).
	PoolDev Pool = "dev"
	// PoolPretrain is every animal that is not held out (272 with the default
	// world): what extractors may be pretrained on.
	PoolPretrain Pool = "pretrain"
)

// poolGroups are the bird families and other genera of the held-out pools.
var poolGroups = map[Pool]struct{ birdFamilies, genera []int }{
	PoolTest: {[]int{20, 21, 22, 23, 24, 25}, []int{4, 5}},
	PoolDev:  {[]int{10, 11, 12, 13, 14, 15}, []int{0, 1}},
}

// heldOutPerPoolGroup is how many held-out species of each group a held-out
// pool takes.
const heldOutPerPoolGroup = 2

// classesOf returns the animals named by codes (their indices, in order), or
// the pool's classes when codes is empty: an unknown code or one named twice
// is an error.
func (w *World) classesOf(codes []string, pool Pool) ([]int, error) {
	if len(codes) == 0 {
		return w.PoolClasses(pool)
	}
	var classes []int
	for _, code := range codes {
		a, ok := w.ByCode(code)
		if !ok {
			return nil, fmt.Errorf("synth: class %q: no such animal", code)
		}
		if slices.Contains(classes, a.Index) {
			return nil, fmt.Errorf("synth: class %q named twice", code)
		}
		classes = append(classes, a.Index)
	}
	return classes, nil
}

// PoolClasses returns the animal indices of a pool's classes, birds first,
// then frogs, insects and mammals, each by group.
func (w *World) PoolClasses(pool Pool) ([]int, error) {
	if pool == PoolPretrain {
		return w.Pretrain(), nil
	}
	groups, ok := poolGroups[pool]
	if !ok {
		return nil, fmt.Errorf("synth: no pool %q (want %q, %q or %q)", pool, PoolTest, PoolDev, PoolPretrain)
	}
	var out []int
	for _, taxon := range []Taxon{Bird, Frog, Insect, Mammal} {
		gs := groups.genera
		if taxon == Bird {
			gs = groups.birdFamilies
		}
		for _, g := range gs {
			found := 0
			for _, a := range w.Animals {
				if a.Taxon == taxon && a.Group == g && a.HeldOut && a.InGroup < heldOutPerPoolGroup {
					out = append(out, a.Index)
					found++
				}
			}
			if found < heldOutPerPoolGroup {
				return nil, fmt.Errorf("synth: pool %q needs %d held-out species of %s group %d; the world has %d", pool, heldOutPerPoolGroup, taxon, g, found)
			}
		}
	}
	return out, nil
}

// HardCorpusOptions configures WriteHardCorpus: RecordingsPerClass clips of
// each class, drawn as ClipsOptions say (with a hard corpus's defaults: pool
// PoolTest, 6 individuals taking turns, HardRanges). Zero fields take the
// defaults in brackets.
type HardCorpusOptions struct {
	ClipsOptions
	// RecordingsPerClass recordings have each class as their first labelled
	// animal [100].
	RecordingsPerClass int
}

func (o HardCorpusOptions) withDefaults() HardCorpusOptions {
	o.ClipsOptions = o.ClipsOptions.withDefaultsOf(PoolTest, 6, HardRanges)
	if o.RecordingsPerClass == 0 {
		o.RecordingsPerClass = 100
	}
	return o
}

// HardRecording describes one file of a hard corpus.
type HardRecording struct {
	// File is the WAV path relative to the corpus directory.
	File string
	// Scene is what was rendered; Events and ClippedFraction are the render's.
	Scene           Scene
	Events          []SceneEvent
	ClippedFraction float64
}

// HardCorpus is what WriteHardCorpus wrote.
type HardCorpus struct {
	Options HardCorpusOptions
	World   *World
	// Classes are the animal indices of the label columns.
	Classes    []int
	Background []int
	Recordings []HardRecording
}

// newHardCorpus checks the options and chooses the classes.
func newHardCorpus(o HardCorpusOptions) (*HardCorpus, error) {
	o = o.withDefaults()
	if o.RecordingsPerClass < 1 {
		return nil, fmt.Errorf("synth: %d recordings per class, want ≥ 1", o.RecordingsPerClass)
	}
	w, classes, err := o.world()
	if err != nil {
		return nil, err
	}
	c := &HardCorpus{Options: o, World: w, Classes: classes, Background: w.Pretrain()}
	c.Recordings = make([]HardRecording, len(c.Classes)*o.RecordingsPerClass)
	return c, nil
}

// WriteHardCorpus generates a harder corpus into dir: audio/*.wav (16-bit PCM
// at each recorder's rate), labels.csv (OpenSoundscape form), metadata.csv
// (every drawn parameter per file), selections/*.txt (Raven Pro tables of
// the labelled units) and DATASHEET.md. The output is the same, byte for
// byte, for the same options (on the same GOARCH).
func WriteHardCorpus(dir string, o HardCorpusOptions) (*HardCorpus, error) {
	c, err := newHardCorpus(o)
	if err != nil {
		return nil, err
	}
	if err := writeCorpusFiles(dir, c.Recordings, c.writeRecording, c.writeTables); err != nil {
		return nil, err
	}
	return c, nil
}

// drawOthers draws up to extra more labelled voices for a clip whose first
// labelled class is classes[k]: the first extra other positions of a random
// permutation of classes, each with an individual drawn uniformly from
// [0, individuals). It returns the positions and the voices.
func drawOthers(rng *rand.Rand, classes []int, k, extra, individuals int) (positions []int, voices []Voice) {
	for _, j := range rng.Perm(len(classes)) {
		if len(positions) >= extra {
			break
		}
		if j != k {
			positions = append(positions, j)
			voices = append(voices, Voice{Species: classes[j], Individual: rng.IntN(individuals)})
		}
	}
	return positions, voices
}

// drawScene draws recording i's scene; it depends only on i and the options.
func (c *HardCorpus) drawScene(i int) (Scene, error) {
	o := c.Options
	rng := rngFor(o.Seed, streamScene, 1<<40+uint64(i))
	k := i / o.RecordingsPerClass
	focal := Voice{Species: c.Classes[k], Individual: (i % o.RecordingsPerClass) % o.IndividualsPerClass}
	labelled := []Voice{focal}
	if o.MaxLabelled > 1 {
		_, others := drawOthers(rng, c.Classes, k, rng.IntN(o.MaxLabelled), o.IndividualsPerClass)
		labelled = append(labelled, others...)
	}
	return o.Ranges.DrawScene(rng, c.World, o.DurationSeconds, labelled, c.Background)
}

func (c *HardCorpus) writeRecording(dir string, i int) (HardRecording, error) {
	scene, err := c.drawScene(i)
	if err != nil {
		return HardRecording{}, err
	}
	rec, err := c.World.RenderScene(c.Options.Seed<<32|uint64(i), scene)
	if err != nil {
		return HardRecording{}, fmt.Errorf("synth: recording %d: %w", i, err)
	}
	focal := scene.Sources[0].Voice
	name := fmt.Sprintf("h%05d_%s_i%d", i, c.World.Animals[focal.Species].Code, focal.Individual)
	file := "audio/" + name + ".wav"
	if err := audio.WriteWAV(filepath.Join(dir, filepath.FromSlash(file)), [][]float32{rec.Samples}, scene.SampleRateHz, audio.WAV16); err != nil {
		return HardRecording{}, err
	}
	if err := atomicfile.Write(filepath.Join(dir, filepath.FromSlash(SelectionsFile(file))), func(w io.Writer) error {
		return c.writeRaven(w, rec.Events)
	}); err != nil {
		return HardRecording{}, err
	}
	return HardRecording{File: file, Scene: scene, Events: rec.Events, ClippedFraction: rec.ClippedFraction}, nil
}

// writeRaven writes the labelled units as a Raven Pro selection table.
func (c *HardCorpus) writeRaven(w io.Writer, events []SceneEvent) error {
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\tCall Type\n")
	var labelled []SceneEvent
	for _, e := range events {
		if e.Role == RoleLabelled {
			labelled = append(labelled, e)
		}
	}
	sort.SliceStable(labelled, func(a, b int) bool { return labelled[a].StartSeconds < labelled[b].StartSeconds })
	for k, e := range labelled {
		a := c.World.Animals[e.Voice.Species]
		fmt.Fprintf(bw, "%d\tSpectrogram 1\t1\t%s\t%s\t%s\t%s\t%s\t%s\n", k+1, ff(e.StartSeconds, 4), ff(e.EndSeconds, 4),
			ff(e.LowHz, 1), ff(e.HighHz, 1), a.Code, a.CallTypes[e.CallType])
	}
	return bw.Flush()
}

func (c *HardCorpus) writeTables(dir string) error {
	o := c.Options
	code := func(animal int) string { return c.World.Animals[animal].Code }
	err := writeLabelsCSV(filepath.Join(dir, "labels.csv"), c.Classes, code, o.DurationSeconds, len(c.Recordings),
		func(r int) (string, []int) {
			var animals []int
			for _, s := range c.Recordings[r].Scene.Sources {
				if s.Role == RoleLabelled {
					animals = append(animals, s.Voice.Species)
				}
			}
			return c.Recordings[r].File, animals
		})
	if err != nil {
		return err
	}
	err = atomicfile.Write(filepath.Join(dir, "metadata.csv"), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, "file,species,taxon,group,individual,dialect,call_types,other_labelled,distance_m,sample_rate_hz,snr_db,"+
			"foliage_db_per_m,rt60_s,critical_distance_m,drr_db,high_pass_hz,low_pass_hz,clip_db,clipped_fraction,peak_gain,"+
			"noise,interferers,distant,song_probability\n")
		for _, r := range c.Recordings {
			s := r.Scene
			focal := s.Sources[0]
			a := c.World.Animals[focal.Voice.Species]
			dialect := ""
			if a.Taxon == Bird {
				dialect = fmt.Sprint(focal.Voice.Individual % o.World.Dialects)
			}
			var callTypes, others, noises, interferers, distant []string
			for _, e := range r.Events {
				if e.Role == RoleLabelled && e.Voice == focal.Voice {
					callTypes = append(callTypes, a.CallTypes[e.CallType])
				}
			}
			for _, src := range s.Sources[1:] {
				code := c.World.Animals[src.Voice.Species].Code
				switch src.Role {
				case RoleLabelled:
					others = append(others, code)
				case RoleInterferer:
					interferers = append(interferers, fmt.Sprintf("%s@%sdB", code, ff(src.LevelDB, 1)))
				case RoleDistant:
					distant = append(distant, code)
				}
			}
			for _, n := range s.Noise {
				noises = append(noises, n.String())
			}
			drr := ""
			if s.RT60Seconds > 0 {
				drr = ff(DRRAt(focal.DistanceMetres, s.CriticalDistanceMetres), 2)
			}
			fmt.Fprintf(bw, "%s,%s,%s,%s,%d,%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
				r.File, a.Code, a.Taxon, a.GroupName, focal.Voice.Individual, dialect, strings.Join(callTypes, ";"), strings.Join(others, ";"),
				ff(focal.DistanceMetres, 1), s.SampleRateHz, ff(s.SNRdB, 2), ff(s.FoliageDBPerMetre, 4), ff(s.RT60Seconds, 3),
				ff(s.CriticalDistanceMetres, 1), drr, ff(s.HighPassHz, 1), ff(s.LowPassHz, 1), ff(s.ClipDB, 2), ff(r.ClippedFraction, 5),
				ff(s.PeakGain, 4), strings.Join(noises, ";"), strings.Join(interferers, ";"), strings.Join(distant, ";"), ff(s.SongProbability, 3))
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "DATASHEET.md"), func(w io.Writer) error { return c.writeDatasheet(w) })
}

// ratesText lists sample rates, comma-separated.
func ratesText(rates []int) string {
	parts := make([]string, len(rates))
	for k, rate := range rates {
		parts[k] = fmt.Sprint(rate)
	}
	return strings.Join(parts, ", ")
}

// rangeText formats a range with its unit.
func rangeText(r Range, digits int, unit string) string {
	if r.Min == r.Max {
		return ff(r.Min, digits) + unit
	}
	return ff(r.Min, digits) + "–" + ff(r.Max, digits) + unit
}

// Command returns the synthcorpus command line that writes this corpus into
// dir; complete is false when the corpus's ranges differ from HardRanges in
// more than the SNR and the sample rates (which have flags), so that the
// command does not reproduce it.
func (c *HardCorpus) Command(dir string) (command string, complete bool) {
	o := c.Options
	r := *o.Ranges
	cmd := fmt.Sprintf("go run ./lib/cmd/synthcorpus -hard -out %s -seed %d -pool %s -recordings %d -individuals %d -seconds %s -max-species %d",
		dir, o.Seed, o.Pool, o.RecordingsPerClass, o.IndividualsPerClass, ff(o.DurationSeconds, 3), o.MaxLabelled)
	if len(o.Classes) > 0 {
		cmd += " -classes " + strings.Join(o.Classes, ",")
	}
	def := HardRanges()
	if r.SNRdB != def.SNRdB {
		cmd += fmt.Sprintf(" -snr-min %s -snr-max %s", ff(r.SNRdB.Min, 2), ff(r.SNRdB.Max, 2))
	}
	if !slices.Equal(r.SampleRatesHz, def.SampleRatesHz) {
		cmd += " -rates " + strings.ReplaceAll(ratesText(r.SampleRatesHz), ", ", ",")
	}
	rest, defRest := r, def
	rest.SNRdB, rest.SampleRatesHz, defRest.SNRdB, defRest.SampleRatesHz = Range{}, nil, Range{}, nil
	return cmd, reflect.DeepEqual(rest, defRest) && c.Options.World == (WorldOptions{}).withDefaults()
}

func (c *HardCorpus) writeDatasheet(w io.Writer) error {
	o := c.Options
	r := *o.Ranges
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	labels := "single-label: one labelled animal per recording"
	if o.MaxLabelled > 1 {
		labels = fmt.Sprintf("multi-label: 1–%d labelled animals per recording (soundscapes)", o.MaxLabelled)
	}
	p("# Data sheet: harder synthetic corpus, pool %q (seed %d)\n\n", o.Pool, o.Seed)
	command, complete := c.Command("DIR")
	p("Generated by `lib/synth` (dawnchorus, `WriteHardCorpus`). Every file follows from the options below; regenerate with\n\n")
	p("```\n%s\n```\n\n", command)
	if !complete {
		p("**This command does not reproduce the corpus:** its world or ranges were set through the Go API\n")
		p("(`synth.HardCorpusOptions`); the tables below give the ranges it used.\n\n")
	}
	p("## Motivation\n\nThe course's first corpora (`synth-birds`, `synth-transfer`) are clean: a pretrained embedding scores 99.5 %% on\n")
	p("them and every method looks alike. This corpus adds what makes field recordings hard — several call types per\n")
	p("species, dialects, overlapping animals, low SNR, distance, reverberation, cheap recorders, clipping, wind, rain,\n")
	p("insects, traffic and machinery, and animals that are not birds — so that differences between methods show.\n\n")
	p("## Composition\n\n")
	p("- %d recordings of %s s, mono, 16-bit PCM WAV (`audio/`), at the recorder's rate (one of %s Hz).\n",
		len(c.Recordings), ff(o.DurationSeconds, 3), ratesText(r.SampleRatesHz))
	p("- %d classes, %d recordings each with it as the first labelled animal; %d individuals per class take turns; %s.\n",
		len(c.Classes), o.RecordingsPerClass, o.IndividualsPerClass, labels)
	counts := map[Taxon]int{}
	for _, a := range c.Classes {
		counts[c.World.Animals[a].Taxon]++
	}
	p("- Classes by taxon: %d birds, %d frogs, %d insects, %d mammals.\n", counts[Bird], counts[Frog], counts[Insect], counts[Mammal])
	wo := o.World
	p("- World: birds from `NewCatalogue(%d, %d, %d)` (the catalogue of synth-birds, synth-transfer and birds-v1); %d genera × %d\n",
		wo.BirdSeed, wo.BirdFamilies, wo.BirdSpeciesPerFamily, wo.Genera, wo.SpeciesPerGenus)
	p("  species each of frogs, insects and mammals (world seed %d); %d dialects per bird species.\n\n", wo.Seed, wo.Dialects)
	p("## Splits: what may train, what may evaluate\n\n")
	p("- **Held out** (%d animals): the first %d species of every bird family (birds-v1's rule: birds-v1 never heard them)\n",
		len(c.World.HeldOut()), wo.HeldOutBirdsPerFamily)
	p("  and the first %d of every genus of frogs, insects and mammals. They may only evaluate.\n", wo.HeldOutPerGenus)
	p("- **Pretraining** (%d animals, pool `pretrain`): every other species. Extractors may be trained on them, with any\n", len(c.World.Pretrain()))
	p("  ranges (domain randomisation: `synth.Ranges`); they also make the unlabelled interferers and distant animals of\n")
	p("  every pool.\n")
	p("- **Dev** (pool `dev`, held out): the first 2 species of bird families 10–15 and of genera 0–1 of each other taxon.\n")
	p("  For choosing — `HardRanges` were tuned on a draw of the dev pool (seed 2, 40 recordings per class) — never for\n")
	p("  reporting.\n")
	p("- **Test** (pool `test`, held out): the first 2 species of bird families 20–25 and of genera 4–5 of each other taxon.\n")
	p("  For reporting only; nothing was chosen on it. Neither pool shares a species with `synth-birds` (families 0–3) or\n")
	p("  `synth-transfer` (families 0–9).\n\n")
	p("This corpus is pool `%s`.\n\n", o.Pool)
	p("| class | taxon | family / genus | call types | band (Hz) |\n|---|---|---|---|---|\n")
	for _, k := range c.Classes {
		a := c.World.Animals[k]
		lo, hi := c.World.Band(k)
		p("| %s | %s | %s | %s | %.0f–%.0f |\n", a.Code, a.Taxon, a.GroupName, strings.Join(a.CallTypes, ", "), lo, hi)
	}
	p("\n## Difficulties and their ranges\n\nEach recording draws one scene (`synth.Ranges.DrawScene`), then renders it at %d Hz\n", RenderRateHz)
	p("(`World.RenderScene`) and resamples it to the recorder's rate.\n\n")
	p("| difficulty | what | range |\n|---|---|---|\n")
	p("| call types | birds: song or one of 1–3 call types (short chips, seets, whistles, buzzes, nasal stacks); frogs: advertisement or encounter call; insects: calling or courtship song; mammals: tonal call or noisy bark | main type with probability %s per unit |\n", rangeText(r.SongProbability, 2, ""))
	p("| dialects | a bird individual sings its dialect (individual mod %d): the species' song with pitch ±4 %%, tempo ±10 %% and an edited pattern or ending | fixed per individual |\n", wo.Dialects)
	p("| SNR | labelled animals' power inside their units over the background's (noises + distant animals) | %s, uniform |\n", rangeText(r.SNRdB, 1, " dB"))
	p("| distance | spherical spreading, air absorption (ISO 9613-1 at 20 °C, 50 %% humidity: 4.7 dB/km at 1 kHz, 105 dB/km at 8 kHz) and foliage excess attenuation (√f) | %s (log-uniform); foliage %s at 1 kHz |\n", rangeText(r.DistanceMetres, 0, " m"), rangeText(r.FoliageDBPerMetre, 3, " dB/m"))
	p("| reverberation | exponentially decaying noise tail after a 1–10 ms pre-delay; DRR falls 6 dB per doubling of distance beyond the critical distance | probability %s; RT60 %s, critical distance %s (log-uniform) |\n", ff(r.ReverbProbability, 2), rangeText(r.RT60Seconds, 2, " s"), rangeText(r.CriticalDistanceMetres, 0, " m"))
	p("| recorder band | 2nd-order Butterworth high-pass; 4th-order Butterworth low-pass | high-pass %s; low-pass with probability %s, %s, never below %s × a labelled animal's band centre, left out where the resampler's own limit (0.45·rate) is lower |\n", rangeText(r.HighPassHz, 0, " Hz"), ff(r.LowPassProbability, 2), rangeText(r.LowPassHz, 0, " Hz"), ff(r.LabelledHeadroom, 2))
	p("| sample rate | resampled from %d Hz (Kaiser-windowed sinc) | one of %s Hz, among those whose 0.45·rate is at least %s × the labelled band centre |\n", RenderRateHz, ratesText(r.SampleRatesHz), ff(r.LabelledHeadroom, 2))
	p("| clipping | peak driven above %s full scale, hard-clipped there | probability %s, %s; otherwise peak %s |\n", ff(ClipLevel, 2), ff(r.ClipProbability, 2), rangeText(r.ClipDB, 1, " dB"), rangeText(r.PeakGain, 2, ""))
	var kinds []string
	for _, k := range r.NoiseKinds {
		kinds = append(kinds, k.String())
	}
	count := func(lo, hi int) string {
		if lo == hi {
			return fmt.Sprint(lo)
		}
		return fmt.Sprintf("%d–%d", lo, hi)
	}
	p("| background | %s of: %s, equal power | per recording |\n", count(1, r.MaxNoises), strings.Join(kinds, ", "))
	p("| distant animals | %s pretraining-pool animals (any taxon), one unit each, unlabelled | %s away, %s relative to the noise |\n", count(0, r.MaxDistant), rangeText(r.DistantMetres, 0, " m"), rangeText(r.DistantLevelDB, 0, " dB"))
	p("| overlapping animals | %s pretraining-pool animals calling in the foreground, unlabelled | probability %s; %s relative to the labelled animals |\n", count(1, r.MaxInterferers), ff(r.InterfererProbability, 2), rangeText(r.InterfererLevelDB, 0, " dB"))
	p("| non-bird taxa | frogs (pulse trains: carrier 0.5–5 kHz, 4–250 pulses/s), insects (stridulation: tonal 2.5–9 kHz or 6–14 kHz bands, tooth impacts, chirps or trills), mammals (F0 80–2000 Hz with a contour through 3–6 vocal-tract formants) | per class |\n\n")
	p("## Files\n\n")
	p("- `labels.csv`: OpenSoundscape form, `file,start_time,end_time` then one 0/1 column per class; one row per recording.\n")
	p("- `metadata.csv`: per file, the first labelled animal (species, taxon, group, individual, dialect, the call types of its\n")
	p("  units, its distance), other labelled animals, and every drawn parameter: sample rate, SNR, foliage, RT60, critical\n")
	p("  distance, DRR, band limits, clipping (dB above full scale, fraction of samples clipped), peak gain, noises,\n")
	p("  interferers (code@level), distant animals, song probability.\n")
	p("- `selections/*.Raven.selections.txt`: Raven Pro tables, one selection per unit of a labelled animal (`Species`, `Call Type`).\n\n")
	p("## Uses and limits\n\nFor teaching, for choosing and for measuring feature extractors. Generated, not recorded: the taxa are\n")
	p("caricatures (no real species), the acoustics are textbook approximations (no ground effect, no Doppler, no\n")
	p("wind-driven turbulence). A result here says how a method copes with these difficulties, not how it does on real\n")
	p("recordings. One row per file, so draws grouped by row are grouped by recording.\n\n")
	p("## License\n\nGenerated data, dedicated to the public domain (CC0).\n")
	return bw.Flush()
}

// hardDatasheet is the data sheet WriteHardCorpus would write for o, without
// rendering anything (for tests that compare it with a committed one).
func hardDatasheet(o HardCorpusOptions) ([]byte, error) {
	c, err := newHardCorpus(o)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	bw := bufio.NewWriter(&b)
	if err := c.writeDatasheet(bw); err != nil {
		return nil, err
	}
	bw.Flush()
	return []byte(b.String()), nil
}
