package synth

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/features"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

func TestCatalogueDeterministicAndInRange(t *testing.T) {
	a, err := NewCatalogue(7, 40, 8)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewCatalogue(7, 40, 8)
	other, _ := NewCatalogue(8, 40, 8)
	if len(a.Species) != 320 || len(a.Families) != 40 {
		t.Fatalf("%d species in %d families, want 320 in 40", len(a.Species), len(a.Families))
	}
	codes := map[string]bool{}
	for i, sp := range a.Species {
		if codes[sp.Code] {
			t.Errorf("species code %q used twice", sp.Code)
		}
		codes[sp.Code] = true
		if sp.Code != b.Species[i].Code || sp.Song.DurationSeconds() != b.Species[i].Song.DurationSeconds() {
			t.Fatalf("species %d differs between two catalogues with seed 7", i)
		}
		if d := sp.Song.DurationSeconds(); d > maxSongSeconds+1e-9 || d <= 0 {
			t.Errorf("%s: song lasts %.2f s", sp.Code, d)
		}
		for ind := 0; ind < 3; ind++ {
			lo, hi := a.Individual(i, ind).Band(MaxHz)
			if lo < MinHz || hi > MaxHz {
				t.Errorf("%s individual %d: band %.0f–%.0f Hz outside 1–10 kHz", sp.Code, ind, lo, hi)
			}
		}
	}
	if other.Species[0].Code == a.Species[0].Code && other.Species[0].Song.DurationSeconds() == a.Species[0].Song.DurationSeconds() {
		t.Error("seeds 7 and 8 gave the same first species")
	}
}

// songFeatures renders species' individual songs and measures them with
// lib/features: an independent measurement of what the generator made.
func songVector(t *testing.T, song Song, seed uint64) []float64 {
	t.Helper()
	const rate = 32000
	x64 := RenderSong(song, rate, rngFor(seed, 99))
	x := make([]float32, len(x64))
	for i, v := range x64 {
		x[i] = float32(v)
	}
	s, err := spectro.PowerSpectrogram(x, rate, spectro.Options{NFFT: 1024, Hop: 256})
	if err != nil {
		t.Fatal(err)
	}
	b := features.EnergyBand(s, 0.9)
	dur, _ := features.CallDurationSeconds(s, features.ActivityOptions{ThresholdDB: 30})
	return []float64{
		math.Log2(features.MeanSpectralCentroidHz(s)), math.Log2(b.LowHz), math.Log2(b.HighHz), 2 * math.Log2(dur),
	}
}

func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s)
}

// TestFamiliesCluster: measured on rendered songs, species of one family are on
// average closer to each other than to species of other families, and individuals
// of one species closer still.
func TestFamiliesCluster(t *testing.T) {
	c, _ := NewCatalogue(3, 8, 4)
	vecs := make([][]float64, len(c.Species))
	for i, sp := range c.Species {
		vecs[i] = songVector(t, sp.Song, uint64(i))
	}
	var within, between float64
	var nw, nb int
	for i := range vecs {
		for j := i + 1; j < len(vecs); j++ {
			d := dist(vecs[i], vecs[j])
			if c.Species[i].Family == c.Species[j].Family {
				within += d
				nw++
			} else {
				between += d
				nb++
			}
		}
	}
	within, between = within/float64(nw), between/float64(nb)
	var individuals float64
	var ni int
	for s := 0; s < len(c.Species); s += 3 {
		a, b := songVector(t, c.Individual(s, 0), 1), songVector(t, c.Individual(s, 1), 1)
		individuals += dist(a, b)
		ni++
	}
	individuals /= float64(ni)
	t.Logf("mean distance: individuals %.3f, species within a family %.3f, across families %.3f", individuals, within, between)
	if !(within < 0.7*between) {
		t.Errorf("within-family distance %.3f is not well below between-family %.3f", within, between)
	}
	if !(individuals < within) {
		t.Errorf("individual distance %.3f is not below within-family species distance %.3f", individuals, within)
	}
	if same := c.Individual(5, 2); dist(songVector(t, same, 4), songVector(t, c.Individual(5, 2), 4)) != 0 {
		t.Error("the same individual sang differently with the same rendition seed")
	}
}

// TestSyllableShapes renders single syllables and measures them.
func TestSyllableShapes(t *testing.T) {
	const rate = 32000
	render := func(s Syllable) []float32 {
		buf := make([]float64, int(s.DurationSeconds*rate))
		renderSyllable(buf, s, rate, rngFor(1, 2))
		x := make([]float32, len(buf))
		for i, v := range buf {
			x[i] = float32(v)
		}
		return x
	}
	t.Run("harmonic stack F0", func(t *testing.T) {
		x := render(Syllable{Kind: Harmonic, DurationSeconds: 0.3, StartHz: 1500, EndHz: 1500, Harmonics: []float64{1, 0.8, 0.6, 0.4}, Amplitude: 1})
		track, err := features.F0(x, rate, features.F0Options{FMinHz: 800, FMaxHz: 9000})
		if err != nil {
			t.Fatal(err)
		}
		if s := track.Summary(); math.Abs(s.MedianHz-1500) > 5 {
			t.Errorf("harmonic stack on 1.5 kHz: F0 %+v", s)
		}
	})
	t.Run("up-sweep band", func(t *testing.T) {
		x := render(Syllable{Kind: UpSweep, DurationSeconds: 0.2, StartHz: 2000, EndHz: 4000, Amplitude: 1})
		s, _ := spectro.PowerSpectrogram(x, rate, spectro.Options{NFFT: 256, Hop: 32})
		track := features.PeakFrequencyTrack(s)
		if track[2] > track[len(track)-3] || math.Abs(track[len(track)/2]-2000*math.Sqrt2) > 150 {
			t.Errorf("up-sweep 2→4 kHz: peak track starts %.0f, middle %.0f (want ≈2828, exponential), ends %.0f", track[2], track[len(track)/2], track[len(track)-3])
		}
	})
	t.Run("buzz stays in its band", func(t *testing.T) {
		x := render(Syllable{Kind: Buzz, DurationSeconds: 0.3, StartHz: 6000, EndHz: 9500, TrillRateHz: 100, Amplitude: 1})
		s, _ := spectro.PowerSpectrogram(x, rate, spectro.Options{NFFT: 1024, Hop: 256})
		spec := features.MeanSpectrum(s)
		var in, out float64
		for f, p := range spec {
			if hz := s.FreqsHz[f]; hz >= 5800 && hz <= 9700 {
				in += p
			} else {
				out += p
			}
		}
		if out > 0.01*in {
			t.Errorf("buzz 6–9.5 kHz: %.2f%% of the energy outside 5.8–9.7 kHz", 100*out/in)
		}
	})
}

// TestRecordingSNR measures the SNR of a generated recording independently: the
// same seed with the background pushed down to nothing gives the foreground alone;
// projecting the noisy mix on it separates signal from noise.
func TestRecordingSNR(t *testing.T) {
	c, _ := NewCatalogue(11, 4, 2)
	for _, snr := range []float64{0, 10, 20} {
		opts := RecordingOptions{DurationSeconds: 3, SampleRateHz: 32000, Foreground: []Voice{{Species: 3, Individual: 1}},
			SNRdB: snr, Noise: []NoiseKind{Pink, Rain}, Distant: []Voice{{Species: 6}}}
		noisy, err := c.Record(42, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.SNRdB = 300
		clean, _ := c.Record(42, opts)
		var fc, ff float64
		for i := range clean.Samples {
			fc += float64(noisy.Samples[i]) * float64(clean.Samples[i])
			ff += float64(clean.Samples[i]) * float64(clean.Samples[i])
		}
		r := fc / ff
		var ps, pn float64
		var na int
		for i, v := range clean.Samples {
			sig := r * float64(v)
			n := float64(noisy.Samples[i]) - sig
			pn += n * n
			inside := false
			for _, e := range noisy.Events {
				if tm := float64(i) / 32000; tm >= e.StartSeconds && tm < e.EndSeconds {
					inside = true
				}
			}
			if inside {
				ps += sig * sig
				na++
			}
		}
		measured := 10 * math.Log10((ps/float64(na))/(pn/float64(len(clean.Samples))))
		if math.Abs(measured-snr) > 0.5 {
			t.Errorf("SNR %v dB requested, %.2f dB measured", snr, measured)
		}
		var peak float64
		for _, v := range noisy.Samples {
			peak = math.Max(peak, math.Abs(float64(v)))
		}
		if math.Abs(peak-noisy.PeakGain) > 1e-6 || noisy.PeakGain < 0.1 || noisy.PeakGain > 0.8 {
			t.Errorf("peak %v, gain %v", peak, noisy.PeakGain)
		}
	}
	if _, err := c.Record(1, RecordingOptions{DurationSeconds: 1, SampleRateHz: 16000, Foreground: []Voice{{}}}); err == nil {
		t.Error("16 kHz accepted for 10 kHz content")
	}
}

// TestWriteCorpusDeterministic writes a tiny corpus twice (once on one core) and
// compares every byte, then checks the tables against the WAV files.
func TestWriteCorpusDeterministic(t *testing.T) {
	opts := CorpusOptions{Seed: 5, Families: 3, SpeciesPerFamily: 3, CorpusFamilies: 2, CorpusSpeciesPerFamily: 2,
		IndividualsPerSpecies: 2, RecordingsPerSpecies: 2, DurationSeconds: 1, MaxSpeciesPerRecording: 2}
	a, b := t.TempDir(), t.TempDir()
	corpus, err := WriteCorpus(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteCorpus(b, opts); err != nil {
		t.Fatal(err)
	}
	files := 0
	filepath.Walk(a, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", rel)
		}
		files++
		return nil
	})
	if want := 8*2 + 3; files != want {
		t.Errorf("%d files, want %d (8 WAVs, 8 Raven tables, 3 tables)", files, want)
	}
	labels, _ := os.ReadFile(filepath.Join(a, "labels.csv"))
	lines := strings.Split(strings.TrimSpace(string(labels)), "\n")
	if len(lines) != 9 || !strings.HasPrefix(lines[0], "file,start_time,end_time,") || len(strings.Split(lines[0], ",")) != 3+4 {
		t.Fatalf("labels.csv header %q, %d lines", lines[0], len(lines))
	}
	for k, line := range lines[1:] {
		fields := strings.Split(line, ",")
		ones := 0
		for _, f := range fields[3:] {
			if f == "1" {
				ones++
			}
		}
		if ones != len(corpus.Recordings[k].Voices) {
			t.Errorf("%s: %d labels, %d foreground voices", fields[0], ones, len(corpus.Recordings[k].Voices))
		}
		wav, err := audio.Load(filepath.Join(a, fields[0]))
		if err != nil {
			t.Fatal(err)
		}
		if wav.SampleRateHz != 22050 || wav.NumFrames() != 22050 {
			t.Errorf("%s: %d Hz, %d frames", fields[0], wav.SampleRateHz, wav.NumFrames())
		}
	}
	// The tables read back through lib/dataset, which knows nothing of synth.
	tbl, err := dataset.ReadLabelCSV(filepath.Join(a, "labels.csv"))
	if err != nil || len(tbl.Rows) != 8 || len(tbl.Classes) != 4 {
		t.Fatalf("labels.csv through lib/dataset: %v, %v", tbl, err)
	}
	for _, r := range corpus.Recordings {
		name := strings.TrimSuffix(filepath.Base(r.File), ".wav") + ".Raven.selections.txt"
		sel, err := dataset.ReadRaven(filepath.Join(a, "selections", name), "Species")
		if err != nil || len(sel) != len(r.Recording.Events) {
			t.Fatalf("%s through lib/dataset: %d selections, %d events, %v", name, len(sel), len(r.Recording.Events), err)
		}
	}
	sheet, _ := os.ReadFile(filepath.Join(a, "DATASHEET.md"))
	if !bytes.Contains(sheet, []byte("-seed 5 ")) {
		t.Error("DATASHEET.md lacks the regeneration command")
	}
	raven, _ := os.ReadFile(filepath.Join(a, "selections", strings.TrimSuffix(filepath.Base(corpus.Recordings[0].File), ".wav")+".Raven.selections.txt"))
	if !bytes.HasPrefix(raven, []byte("Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\n")) {
		t.Errorf("Raven table starts %q", raven[:min(len(raven), 80)])
	}
}

// TestDefaultCorpusDatasheet: the committed data sheets of the course's corpora
// (datasets/synth-birds and datasets/synth-transfer, made by the commands in
// datasets/README.md and the Makefile) are what the generator writes today; if the
// generator changes, regenerate the corpora and commit the new sheets.
func TestDefaultCorpusDatasheet(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		opts CorpusOptions
	}{
		{"synth-birds", CorpusOptions{Seed: 1}},
		{"synth-transfer", CorpusOptions{Seed: 1, CorpusFamilies: 10, CorpusSpeciesPerFamily: 2, RecordingsPerSpecies: 80, IndividualsPerSpecies: 4}},
	} {
		committed, err := os.ReadFile(filepath.Join("..", "..", "datasets", tc.dir, "DATASHEET.md"))
		if err != nil {
			t.Fatal(err)
		}
		c, err := newCorpus(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var sheet bytes.Buffer
		if err := c.writeDatasheet(&sheet); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sheet.Bytes(), committed) {
			t.Errorf("datasets/%s/DATASHEET.md differs from what lib/synth writes now: regenerate the corpus", tc.dir)
		}
	}
}

// TestHardCorpusDatasheets: the committed data sheets of the hard corpora
// (datasets/synth-hard and synth-hard-dev, made by `make synth-hard`) are what
// the generator writes today; if it changes, regenerate them (and re-measure
// datasets/README.md's table).
func TestHardCorpusDatasheets(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		opts HardCorpusOptions
	}{
		{"synth-hard", HardCorpusOptions{ClipsOptions: ClipsOptions{Seed: 1, Pool: PoolTest}}},
		{"synth-hard-dev", HardCorpusOptions{ClipsOptions: ClipsOptions{Seed: 2, Pool: PoolDev}}},
	} {
		committed, err := os.ReadFile(filepath.Join("..", "..", "datasets", tc.dir, "DATASHEET.md"))
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := hardDatasheet(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sheet, committed) {
			t.Errorf("datasets/%s/DATASHEET.md differs from what lib/synth writes now: regenerate it (make synth-hard)", tc.dir)
		}
	}
}
