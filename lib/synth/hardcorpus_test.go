package synth

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// tinyHard is a small hard corpus: 4 classes of 4 taxa, 3 recordings each,
// of 2 s; with -short (the race detector's run, where each render is ~15×
// slower) of 1 s: WriteHardCorpus still renders them on parallel goroutines.
func tinyHard(maxLabelled int) HardCorpusOptions {
	seconds := 2.0
	if testing.Short() {
		seconds = 1
	}
	return HardCorpusOptions{ClipsOptions: ClipsOptions{Seed: 3, Classes: []string{"cutaites_foaris", "lenaella_criosa", "bovoornis_styica", "puzaola_lutaina"},
		IndividualsPerClass: 2, DurationSeconds: seconds, MaxLabelled: maxLabelled}, RecordingsPerClass: 3}
}

// TestWriteHardCorpus writes a tiny corpus twice and compares every byte, then
// reads its tables back through lib/dataset and lib/audio, which know nothing
// of synth, and checks them against each other.
func TestWriteHardCorpus(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	corpus, err := WriteHardCorpus(a, tinyHard(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteHardCorpus(b, tinyHard(1)); err != nil {
		t.Fatal(err)
	}
	digestA, filesA := dirDigest(t, a)
	if digestB, _ := dirDigest(t, b); digestA != digestB {
		t.Error("two runs with the same options wrote different files")
	}
	if want := 12*2 + 3; len(filesA) != want {
		t.Errorf("%d files, want %d", len(filesA), want)
	}
	labels, err := dataset.ReadLabelCSV(filepath.Join(a, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !labels.IsSingleLabel() || len(labels.Rows) != 12 || strings.Join(labels.Classes, ",") != strings.Join(tinyHard(1).Classes, ",") {
		t.Fatalf("labels.csv: %d rows, classes %v, single-label %v", len(labels.Rows), labels.Classes, labels.IsSingleLabel())
	}
	f, err := os.Open(filepath.Join(a, "metadata.csv"))
	if err != nil {
		t.Fatal(err)
	}
	meta, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(meta) != 13 {
		t.Fatalf("metadata.csv: %d lines, %v", len(meta), err)
	}
	col := map[string]int{}
	for i, name := range meta[0] {
		col[name] = i
	}
	for i, row := range labels.Rows {
		m := meta[i+1]
		if m[col["file"]] != row.File || m[col["species"]] != labels.Classes[row.ClassOf()] {
			t.Errorf("row %d: labels say %s %s, metadata %s %s", i, row.File, labels.Classes[row.ClassOf()], m[col["file"]], m[col["species"]])
		}
		wav, err := audio.Load(filepath.Join(a, row.File))
		if err != nil {
			t.Fatal(err)
		}
		rate, _ := strconv.Atoi(m[col["sample_rate_hz"]])
		if want := int(math.Round(tinyHard(1).DurationSeconds * float64(rate))); wav.SampleRateHz != rate || wav.NumFrames() != want {
			t.Errorf("%s: %d Hz, %d frames; metadata says %d Hz", row.File, wav.SampleRateHz, wav.NumFrames(), rate)
		}
		if corpus.Recordings[i].Scene.SampleRateHz != rate {
			t.Errorf("%s: the corpus says %d Hz", row.File, corpus.Recordings[i].Scene.SampleRateHz)
		}
		name := strings.TrimSuffix(filepath.Base(row.File), ".wav") + ".Raven.selections.txt"
		sel, err := dataset.ReadRaven(filepath.Join(a, "selections", name), "Species")
		if err != nil || len(sel) == 0 {
			t.Fatalf("%s: %d selections, %v", name, len(sel), err)
		}
		for _, s := range sel {
			if s.Annotation != labels.Classes[row.ClassOf()] {
				t.Errorf("%s: a selection of %q in a recording of %q", name, s.Annotation, labels.Classes[row.ClassOf()])
			}
		}
	}
	sheet, _ := os.ReadFile(filepath.Join(a, "DATASHEET.md"))
	for _, want := range []string{"-seed 3 ", "-classes cutaites_foaris,", "single-label", "| SNR |"} {
		if !bytes.Contains(sheet, []byte(want)) {
			t.Errorf("DATASHEET.md lacks %q", want)
		}
	}
	if bytes.Contains(sheet, []byte("does not reproduce")) {
		t.Error("DATASHEET.md says its command does not reproduce a corpus made with default ranges")
	}
}

// TestHardCommandSaysWhenIncomplete: ranges the command's flags cannot set
// make the data sheet say that its command does not reproduce the corpus.
func TestHardCommandSaysWhenIncomplete(t *testing.T) {
	r := HardRanges()
	r.SNRdB = Range{0, 10}
	c, _ := newHardCorpus(HardCorpusOptions{ClipsOptions: ClipsOptions{Ranges: &r}})
	if cmd, complete := c.Command("D"); !complete || !strings.Contains(cmd, "-snr-min 0.00 -snr-max 10.00") {
		t.Errorf("SNR through flags: %q, complete %v", cmd, complete)
	}
	r.ClipProbability = 0
	if _, complete := c.Command("D"); complete {
		t.Error("a clipping probability the flags cannot set: command said complete")
	}
	sheet, err := hardDatasheet(HardCorpusOptions{ClipsOptions: ClipsOptions{Ranges: &r}})
	if err != nil || !bytes.Contains(sheet, []byte("does not reproduce")) {
		t.Errorf("data sheet of a corpus with API-only ranges: %v", err)
	}
}

// TestWriteHardCorpusMultiLabel: with MaxLabelled 3 some recordings hold
// several labelled animals, and labels.csv marks exactly those.
func TestWriteHardCorpusMultiLabel(t *testing.T) {
	o := tinyHard(3)
	o.RecordingsPerClass = 4
	dir := t.TempDir()
	corpus, err := WriteHardCorpus(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := dataset.ReadLabelCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	multi := 0
	for i, row := range labels.Rows {
		var want []string
		for _, s := range corpus.Recordings[i].Scene.Sources {
			if s.Role == RoleLabelled {
				want = append(want, corpus.World.Animals[s.Voice.Species].Code)
			}
		}
		var got []string
		for c, v := range row.Labels {
			if v != 0 {
				got = append(got, labels.Classes[c])
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: labels %v, labelled sources %v", row.File, got, want)
		}
		if len(got) > 1 {
			multi++
		}
	}
	if multi == 0 || labels.IsSingleLabel() {
		t.Errorf("%d of %d recordings multi-label", multi, len(labels.Rows))
	}
}

func TestHardCorpusOptionErrors(t *testing.T) {
	for name, o := range map[string]HardCorpusOptions{
		"unknown class": {ClipsOptions: ClipsOptions{Classes: []string{"no_such_animal"}}},
		"class twice":   {ClipsOptions: ClipsOptions{Classes: []string{"cutaites_foaris", "cutaites_foaris"}}},
		"unknown pool":  {ClipsOptions: ClipsOptions{Pool: "train"}},
		"duration":      {ClipsOptions: ClipsOptions{DurationSeconds: -1}},
		"ranges":        {ClipsOptions: ClipsOptions{Ranges: &Ranges{}}},
		"recordings":    {RecordingsPerClass: -1},
	} {
		if _, err := newHardCorpus(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
