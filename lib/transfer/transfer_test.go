package transfer

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// tinyConfig is a network small enough for unit tests: 0.5 s clips (44 frames)
// of 16 mel bands, 4 and 8 channels.
func tinyConfig(classes int) cnn.Config {
	names := make([]string, classes)
	for i := range names {
		names[i] = string(rune('a' + i))
	}
	return cnn.Config{
		FrontEnd:     spectro.FrontEndOptions{ClipSeconds: 0.5, NFFT: 512, Hop: 256, NumMels: 16},
		StemChannels: 4, StageChannels: []int{8, 8}, Dropout: 0.1, Classes: names,
	}
}

// bandsCorpus makes perClass images of each of classes classes: noise with a
// bright band of mel bands whose position gives the class (bands 4c to 4c+2).
func bandsCorpus(net *cnn.Model, classes, perClass int, seed uint64) *Corpus {
	frames, mels := net.FrontEnd().Shape()[0], net.FrontEnd().Shape()[1]
	rng := rand.New(rand.NewPCG(seed, 11))
	c := &Corpus{Labels: dataset.Labels{NumClasses: classes}}
	for k := range classes {
		c.Classes = append(c.Classes, string(rune('p'+k)))
	}
	for i := range classes * perClass {
		class := i % classes
		for range frames {
			for b := range mels {
				v := 0.3 * rng.Float32()
				if b >= 4*class && b < 4*class+3 {
					v += 0.6
				}
				c.Images = append(c.Images, v)
			}
		}
		c.Labels.Index = append(c.Labels.Index, class)
		c.Files = append(c.Files, fmt.Sprintf("clip%03d.wav", i)) // one recording per clip
	}
	return c
}

// pretrained returns a tiny network trained briefly on a bands task of its own
// (three classes), so that its embedding separates bands: a stand-in for
// birds-v1.
func pretrained(t *testing.T) *cnn.Model {
	t.Helper()
	net := cnn.MustNew(tinyConfig(3), 1)
	c := bandsCorpus(net, 3, 20, 99)
	if _, err := cnn.Train(net, cnn.Dataset{Images: c.Images, Labels: dataset.SingleLabel(c.Labels.Index, len(c.Classes))}, cnn.Dataset{}, cnn.TrainOptions{Steps: 30, BatchSize: 16, LearningRate: 1e-2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return net
}

// TestSubsets checks the split and the training subsets by counting: the test
// set holds TestPerClass clips of each class; a subset of n clips holds ⌊n/C⌋
// or ⌊n/C⌋+1 of each class, n mod C classes having the extra one; subsets of a
// seed are nested, never touch the test set, and another seed draws others.
func TestSubsets(t *testing.T) {
	c := &Corpus{Classes: []string{"a", "b", "c", "d"}, Labels: dataset.Labels{NumClasses: 4}}
	for i := range 40 {
		c.Labels.Index = append(c.Labels.Index, i%4)
	}
	test, pool, _ := split(c, 3, 1)
	if got := countClasses(c, test); !slices.Equal(got, []int{3, 3, 3, 3}) {
		t.Errorf("test set holds %v clips per class, want 3 each", got)
	}
	inTest := map[int]bool{}
	for _, r := range test {
		inTest[r] = true
	}
	ord := poolOrder(pool, 4, 7)
	var previous []int
	for _, tc := range []struct {
		n    int
		want []int // sorted counts per class
	}{{1, []int{0, 0, 0, 1}}, {4, []int{1, 1, 1, 1}}, {6, []int{1, 1, 2, 2}}, {11, []int{2, 3, 3, 3}}, {28, []int{7, 7, 7, 7}}} {
		rows := ord.subset(tc.n)
		counts := countClasses(c, rows)
		slices.Sort(counts)
		if len(rows) != tc.n || !slices.Equal(counts, tc.want) {
			t.Errorf("subset(%d): %d rows, %v per class (sorted); want %d, %v", tc.n, len(rows), counts, tc.n, tc.want)
		}
		for _, r := range rows {
			if inTest[r] {
				t.Errorf("subset(%d) holds test clip %d", tc.n, r)
			}
		}
		for _, r := range previous {
			if !slices.Contains(rows, r) {
				t.Errorf("subset(%d) lacks clip %d of the smaller subset", tc.n, r)
			}
		}
		previous = rows
	}
	if slices.Equal(poolOrder(pool, 4, 8).subset(8), ord.subset(8)) {
		t.Error("seeds 7 and 8 drew the same 8 clips")
	}
}

func countClasses(c *Corpus, rows []int) []int {
	counts := make([]int, len(c.Classes))
	for _, r := range rows {
		counts[c.Labels.Index[r]]++
	}
	return counts
}

// TestRun runs the experiment on a tiny corpus: one row per (method, seed,
// size) in that order, steps by the rule, accuracies in [0, 1], the frozen
// embedding of a network pretrained on bands separating new band positions,
// and the pretrained network unchanged.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	net := pretrained(t)
	before := snapshot(net)
	corpus := bandsCorpus(net, 4, 12, 5)
	o := Options{Sizes: []int{4, 16}, Seeds: []uint64{1, 2}, SeedsFor: map[Method][]uint64{Scratch: {3}}, SizesFor: map[Method][]int{Scratch: {16}}, TestPerClass: 4,
		Epochs: 4, MinSteps: 3, MaxSteps: 6, BatchSize: 8}
	rows, err := Run(net, corpus, o)
	if err != nil {
		t.Fatal(err)
	}
	type point struct {
		m    Method
		n    int
		seed uint64
	}
	want := []point{{Frozen, 4, 1}, {Frozen, 16, 1}, {Frozen, 4, 2}, {Frozen, 16, 2},
		{FineTune, 4, 1}, {FineTune, 16, 1}, {FineTune, 4, 2}, {FineTune, 16, 2}, {Scratch, 16, 3}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if (point{r.Method, r.Size, r.Seed}) != want[i] {
			t.Errorf("row %d is %v/%d/seed %d, want %v", i, r.Method, r.Size, r.Seed, want[i])
		}
		wantSteps := map[int]int{4: 3, 16: 6}[r.Size] // ⌈4·4/8⌉=2 → 3; ⌈4·16/8⌉=8 → 6
		if r.Method == Frozen {
			wantSteps = 0
		}
		if r.Steps != wantSteps || r.Accuracy < 0 || r.Accuracy > 1 || math.Mod(r.Accuracy*16, 1) != 0 {
			t.Errorf("row %+v: want %d steps and an accuracy in k/16", r, wantSteps)
		}
	}
	if rows[1].Accuracy < 0.9 {
		t.Errorf("frozen embedding + logistic regression on 16 band clips: accuracy %v, want ≥ 0.9 on this easy task", rows[1].Accuracy)
	}
	if !bytes.Equal(snapshot(net), before) {
		t.Error("Run changed the pretrained network")
	}
}

// snapshot returns every variable's bytes, in order.
func snapshot(net *cnn.Model) []byte {
	var b bytes.Buffer
	for v := range net.Context().IterVariables() {
		v.MustValue().ConstBytes(func(data []byte) { b.Write(data) })
	}
	return b.Bytes()
}

// TestDeterminismAndCache: two runs give the same rows; with a cache the second
// run reads every row back, and changing Scratch's rate recomputes only Scratch.
func TestDeterminismAndCache(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	net := pretrained(t)
	corpus := bandsCorpus(net, 4, 10, 6)
	dir := t.TempDir()
	var log bytes.Buffer
	o := Options{Sizes: []int{8}, Seeds: []uint64{1}, TestPerClass: 4, MinSteps: 2, MaxSteps: 2, BatchSize: 8, CacheDir: dir, Progress: &log}
	first := MustRun(net, corpus, o)
	o.CacheDir = ""
	again := MustRun(net, corpus, o)
	for i := range first {
		if first[i].Accuracy != again[i].Accuracy || first[i].Steps != again[i].Steps {
			t.Errorf("row %d: %+v, then %+v", i, first[i], again[i])
		}
	}
	o.CacheDir = dir
	log.Reset()
	cached := MustRun(net, corpus, o)
	if !slices.Equal(cached, first) || strings.Count(log.String(), "cached") != 3 {
		t.Errorf("cached run: %+v, log\n%s\nwant the first run's rows, all cached", cached, log.String())
	}
	o.ScratchLR = 5e-3
	log.Reset()
	MustRun(net, corpus, o)
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if cachedLine := strings.Contains(line, "cached"); cachedLine == strings.HasPrefix(line, "scratch") {
			t.Errorf("after changing the scratch rate: %q", line)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "transfer-*.json"))
	if len(files) != 4 {
		t.Errorf("%d cache files, want 4 (3 rows, then a new scratch row)", len(files))
	}
}

// TestCurvesAndTable checks the summaries against hand computation.
func TestCurvesAndTable(t *testing.T) {
	rows := []Row{
		{Method: FineTune, Size: 100, Seed: 1, Accuracy: 0.5}, {Method: FineTune, Size: 10, Seed: 1, Accuracy: 0.2},
		{Method: FineTune, Size: 100, Seed: 2, Accuracy: 0.7}, {Method: FineTune, Size: 10, Seed: 2, Accuracy: 0.1},
		{Method: Frozen, Size: 10, Seed: 1, Accuracy: 0.4},
	}
	curves := Curves(rows)
	if len(curves) != 2 || curves[0].Name != FineTune.Description() || curves[1].Name != Frozen.Description() {
		t.Fatalf("curves %+v, want fine-tuned then frozen", curves)
	}
	ft := curves[0]
	near := func(a, b []float64) bool {
		return len(a) == len(b) && !slices.ContainsFunc(a, func(x float64) bool { i := slices.Index(a, x); return math.Abs(x-b[i]) > 1e-12 })
	}
	if !near(ft.LabelsSpent, []float64{10, 100}) || !near(ft.Mean, []float64{0.15, 0.6}) || !near(ft.Min, []float64{0.1, 0.5}) || !near(ft.Max, []float64{0.2, 0.7}) || ft.Runs != 2 {
		t.Errorf("fine-tuned curve %+v, want sizes 10, 100: means 0.15, 0.6, min 0.1, 0.5, max 0.2, 0.7, 2 runs", ft)
	}
	if curves[1].Runs != 1 || curves[1].Mean[0] != 0.4 {
		t.Errorf("frozen curve %+v", curves[1])
	}
	table := Table(rows)
	for _, want := range []string{"0.150 (0.100–0.200)", "0.600 (0.500–0.700)", "0.400 (0.400–0.400)", "—"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

// TestCSV: rows survive a round trip; a bad file gets an error naming the line
// and the column.
func TestCSV(t *testing.T) {
	dir := t.TempDir()
	rows := []Row{{Method: Scratch, Size: 300, Seed: 2, Accuracy: 0.3125, Steps: 94, Seconds: 12.5}, {Method: Frozen, Size: 20, Seed: 1, Accuracy: 1}}
	path := filepath.Join(dir, "rows.csv")
	if err := WriteCSV(path, rows); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(path)
	if err != nil || !slices.Equal(back, rows) {
		t.Errorf("read back %+v, %v; want %+v", back, err, rows)
	}
	for _, tc := range []struct{ content, want string }{
		{"method,size\n", "header"},
		{"method,size,seed,accuracy,steps,seconds\nfrozen,20,1,1.5,0,0\n", "line 2: accuracy \"1.5\""},
		{"method,size,seed,accuracy,steps,seconds\nfrozen,x,1,0.5,0,0\n", "line 2: size \"x\""},
	} {
		bad := filepath.Join(dir, "bad.csv")
		os.WriteFile(bad, []byte(tc.content), 0o644)
		if _, err := ReadCSV(bad); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.csv") {
			t.Errorf("ReadCSV(%q): error %v, want one naming the file and %q", tc.content, err, tc.want)
		}
	}
}

// TestBadOptions: sizes the pool cannot fill, unknown methods and layers are
// refused with errors that say so.
func TestBadOptions(t *testing.T) {
	net := cnn.MustNew(tinyConfig(3), 1)
	corpus := bandsCorpus(net, 4, 10, 6)
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Sizes: []int{40}, TestPerClass: 4}, "size 40"},
		{Options{Sizes: []int{4}, SizesFor: map[Method][]int{Scratch: {4, 40}}, TestPerClass: 4}, "size 40"},
		{Options{Sizes: []int{4}, TestPerClass: 10}, "test clips per class"},
		{Options{Sizes: []int{4}, Methods: []Method{"magic"}, TestPerClass: 4}, `unknown method "magic"`},
		{Options{Sizes: []int{4}, FineTuneAfter: "stage7", TestPerClass: 4}, `FineTuneAfter "stage7"`},
	} {
		if _, err := Run(net, corpus, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.o, err, tc.want)
		}
	}
	// Labels that disagree with Classes about the number of classes are refused, both
	// numbers named.
	for _, n := range []int{0, 5} {
		wrong := *corpus
		wrong.Labels.NumClasses = n
		want := fmt.Sprintf("count %d classes (Labels.NumClasses), its Classes list 4", n)
		if _, err := Run(net, &wrong, Options{Sizes: []int{4}, TestPerClass: 4}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NumClasses %d for 4 classes: error %v, want one containing %q", n, err, want)
		}
	}
}

// TestLoadCorpus writes two tones as WAV files with a label table and checks
// that each image is the front end's image of the file's samples, with its
// class; a file at another sample rate is refused with an error naming it.
func TestLoadCorpus(t *testing.T) {
	net := cnn.MustNew(tinyConfig(3), 1)
	rate := net.FrontEnd().Options.SampleRateHz
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "audio"), 0o755)
	tone := func(hz float64, n int) []float32 {
		out := make([]float32, n)
		for i := range out {
			out[i] = float32(0.5 * math.Sin(2*math.Pi*hz*float64(i)/float64(rate)))
		}
		return out
	}
	clips := [][]float32{tone(1000, net.FrontEnd().ClipSamples()), tone(4000, net.FrontEnd().ClipSamples())}
	for i, c := range clips {
		if err := audio.WriteWAV(filepath.Join(dir, "audio", fmt.Sprintf("c%d.wav", i)), [][]float32{c}, rate, audio.WAV16); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "labels.csv"), []byte("file,start_time,end_time,low,high\naudio/c0.wav,0,0.5,1,0\naudio/c1.wav,0,0.5,0,1\n"), 0o644)
	corpus, err := LoadCorpus(dir, net)
	if err != nil {
		t.Fatal(err)
	}
	if corpus.Len() != 2 || !slices.Equal(corpus.Labels.Index, []int{0, 1}) || corpus.Labels.NumClasses != 2 || !slices.Equal(corpus.Classes, []string{"low", "high"}) {
		t.Fatalf("corpus of %d clips, labels %v, classes %v", corpus.Len(), corpus.Labels, corpus.Classes)
	}
	size := len(corpus.Images) / 2
	for i := range clips {
		// The file holds 16-bit samples: the reference image is of the decoded file.
		a, err := audio.Load(filepath.Join(dir, "audio", fmt.Sprintf("c%d.wav", i)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := net.FrontEnd().Image(a.Mono())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(corpus.Images[i*size:(i+1)*size], want) {
			t.Errorf("clip %d: image differs from the front end's", i)
		}
	}
	// A file shorter than the row's clip: its image would be of the part that
	// exists, padded, passed off as the row.
	if err := audio.WriteWAV(filepath.Join(dir, "audio", "c1.wav"), [][]float32{clips[1][:len(clips[1])*3/5]}, rate, audio.WAV16); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCorpus(dir, net); err == nil || !strings.Contains(err.Error(), "c1.wav") || !strings.Contains(err.Error(), "0.3 s long") || !strings.Contains(err.Error(), "past the end") {
		t.Errorf("a 0.3 s file for a 0.5 s row: error %v, want one naming the file, its length and the row past its end", err)
	}
	// A file at twice the network's rate is resampled: its image is the front
	// end's image of audio.Resample of the decoded file, and it differs from the
	// image of the raw samples (read as if at the network's rate).
	double := tone(2000, 2*net.FrontEnd().ClipSamples()) // 2000 Hz at rate is 1000 Hz at 2·rate
	if err := audio.WriteWAV(filepath.Join(dir, "audio", "c1.wav"), [][]float32{double}, 2*rate, audio.WAV16); err != nil {
		t.Fatal(err)
	}
	corpus, err = LoadCorpus(dir, net)
	if err != nil {
		t.Fatalf("a file at %d Hz: %v", 2*rate, err)
	}
	a, err := audio.Load(filepath.Join(dir, "audio", "c1.wav"))
	if err != nil {
		t.Fatal(err)
	}
	resampled, err := audio.Resample(a.Mono(), 2*rate, rate)
	if err != nil {
		t.Fatal(err)
	}
	want, err := net.FrontEnd().Image(resampled[:net.FrontEnd().ClipSamples()])
	if err != nil {
		t.Fatal(err)
	}
	raw, err := net.FrontEnd().Image(a.Mono()[:net.FrontEnd().ClipSamples()])
	if err != nil {
		t.Fatal(err)
	}
	if got := corpus.Images[size:]; !slices.Equal(got, want) || slices.Equal(got, raw) {
		t.Errorf("a file at %d Hz: image equal to the resampled file's %v (want true), to the raw samples' %v (want false)", 2*rate, slices.Equal(got, want), slices.Equal(got, raw))
	}
}

// TestHeadSteps: with a linear probe first, one fine-tuning step at a tiny rate
// already classifies the easy bands task (the probe did the work); without it,
// one step from a random classifier does not.
func TestHeadSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	net := pretrained(t)
	corpus := bandsCorpus(net, 4, 12, 8)
	o := Options{Sizes: []int{32}, Seeds: []uint64{1}, Methods: []Method{FineTune}, TestPerClass: 4,
		MinSteps: 1, MaxSteps: 1, BatchSize: 8, LearningRate: 5e-2, FeatureExtractorLR: 1e-6}
	plain := MustRun(net, corpus, o)[0]
	o.HeadSteps = 80
	probed := MustRun(net, corpus, o)[0]
	if probed.Accuracy < 0.9 || plain.Accuracy > 0.6 {
		t.Errorf("one fine-tuning step: accuracy %v after a linear probe (want ≥ 0.9), %v without (want ≤ 0.6)", probed.Accuracy, plain.Accuracy)
	}
}

// TestSplitKeepsRecordingsApart: with two clips per recording (spelt two
// ways), no pool clip shares its recording with a test clip, while the test
// set still holds TestPerClass clips of each class; the cache key changes
// only when a clip is left out.
func TestSplitKeepsRecordingsApart(t *testing.T) {
	c := &Corpus{Classes: []string{"a", "b", "c", "d"}, Labels: dataset.Labels{NumClasses: 4}}
	for i := range 40 {
		c.Labels.Index = append(c.Labels.Index, (i/2)%4)
		file := fmt.Sprintf("rec%02d.wav", i/2)
		if i%2 == 1 {
			file = "./" + file
		}
		c.Files = append(c.Files, file)
	}
	test, pool, left := split(c, 3, 1)
	if got := countClasses(c, test); !slices.Equal(got, []int{3, 3, 3, 3}) {
		t.Errorf("test set holds %v clips per class, want 3 each", got)
	}
	testFiles := map[string]bool{}
	for _, r := range test {
		testFiles[filepath.Clean(c.Files[r])] = true
	}
	inPool := 0
	for _, rows := range pool {
		for _, r := range rows {
			inPool++
			if testFiles[filepath.Clean(c.Files[r])] {
				t.Errorf("pool clip %d (%s) shares its recording with a test clip", r, c.Files[r])
			}
		}
	}
	if inPool+len(test)+len(left) != 40 || len(left) == 0 {
		t.Errorf("%d pool + %d test + %d left out clips, want 40 with some left out", inPool, len(test), len(left))
	}
	for _, r := range left {
		if !testFiles[filepath.Clean(c.Files[r])] {
			t.Errorf("clip %d (%s) left out though no test clip shares its recording", r, c.Files[r])
		}
	}
	one := &Corpus{Classes: c.Classes, Labels: c.Labels, Files: make([]string, 40)}
	for i := range one.Files {
		one.Files[i] = fmt.Sprintf("own%02d.wav", i)
	}
	if _, _, left := split(one, 3, 1); len(left) != 0 {
		t.Errorf("one clip per recording: %d clips left out, want 0", len(left))
	}
}
