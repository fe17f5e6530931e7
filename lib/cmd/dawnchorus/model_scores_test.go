package main

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/embedshards"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// writeTonesFixture writes into dir (made if need be) tones.onnx, labels.txt (the
// model's three toneClasses), four.txt (a class list of the wrong length) and the
// given files (name → text: the .model configs, see tonesModel), and returns
// tones.onnx's bytes.
func writeTonesFixture(t *testing.T, dir string, configs map[string]string) []byte {
	t.Helper()
	onnx, err := os.ReadFile("../../zoo/testdata/tones.onnx")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"tones.onnx": string(onnx),
		"labels.txt": strings.Join(toneClasses, "\n") + "\n",
		"four.txt":   "a\nb\nc\nd\n",
	}
	maps.Copy(files, configs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return onnx
}

// tonesModel is the config of lib/zoo's testdata/tones.onnx (make_onnx_tones.py):
// 1 s at 16 kHz in; "logits" respond to tones at 1, 2 and 3 kHz, "probs" are
// their sigmoids. keys adds the class head.
func tonesModel(name, keys string) string {
	return "name = " + name + "\nonnx = tones.onnx\nsample_rate_hz = 16000\nclip_seconds = 1\ninput = waveform\nembedding = embedding\n" + keys
}

var toneClasses = []string{"low tone", "mid tone", "high tone"}

// toneSpan is a tone of class (an index of toneClasses, at 1, 2 or 3 kHz)
// from start to end seconds.
type toneSpan struct {
	class      int
	start, end float64
}

// writeTones writes a recording of seconds at 16 kHz: seeded noise at 0.01
// RMS with the spans' tones (amplitude 0.6–0.8) on top.
func writeTones(t *testing.T, path string, seed uint64, seconds float64, spans []toneSpan) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, int(seconds*16000))
	for n := range x {
		x[n] = float32(0.01 * rng.NormFloat64())
	}
	for _, s := range spans {
		amp := 0.6 + 0.2*rng.Float64()
		for n := int(s.start * 16000); n < int(s.end*16000); n++ {
			x[n] += float32(amp * math.Sin(2*math.Pi*1000*float64(s.class+1)*float64(n)/16000))
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteWAV(path, [][]float32{x}, 16000, audio.WAV16); err != nil {
		t.Fatal(err)
	}
}

// TestAnalyzeModelScores runs analyze -model-scores with an external model's
// own classifier over recordings of known tones: every window's scores equal
// the model's logits through the activation computed here by hand (sigmoid,
// softmax; none on the model's own sigmoid outputs), and the tables hold the
// tones' classes at the tones' windows and nothing else. A rerun scores
// nothing again; another class list, a wrong class count, a model without
// classes and the flag mix-ups are refused.
func TestAnalyzeModelScores(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	models := filepath.Join(dir, "models")
	onnx := writeTonesFixture(t, models, map[string]string{
		"sigmoid.model":     tonesModel("tones-sigmoid", "scores = logits\nclasses = labels.txt\nactivation = sigmoid\n"),
		"softmax.model":     tonesModel("tones-softmax", "scores = logits\nclasses = labels.txt\nactivation = softmax\n"),
		"none.model":        tonesModel("tones-none", "scores = probs\nclasses = labels.txt\nactivation = none\n"),
		"default.model":     tonesModel("tones-default", "scores = logits\nclasses = labels.txt\n"),
		"four.model":        tonesModel("tones-four", "scores = logits\nclasses = four.txt\n"),
		"no-classes.model":  tonesModel("tones-plain", ""),
		"none-logits.model": tonesModel("tones-none-logits", "scores = logits\nclasses = labels.txt\nactivation = none\n"),
	})
	// The answer: the tones' windows (1 s, not overlapping) and classes.
	recordings := []struct {
		path    string
		seconds float64
		spans   []toneSpan
	}{
		{"rec/a.wav", 6, []toneSpan{{0, 1, 3}, {2, 4, 5}}},
		{"rec/b.wav", 4, []toneSpan{{1, 0, 2}}},
		{"rec/sub/c.wav", 3, nil},
	}
	type detection struct {
		file, class string
		start, end  float64
	}
	var wantDets []detection
	for i, r := range recordings {
		writeTones(t, filepath.Join(dir, r.path), uint64(40+i), r.seconds, r.spans)
		for _, s := range r.spans {
			for w := s.start; w < s.end; w++ {
				wantDets = append(wantDets, detection{r.path, toneClasses[s.class], w, w + 1})
			}
		}
	}
	sortDets := func(d []detection) {
		slices.SortFunc(d, func(a, b detection) int {
			return strings.Compare(fmt.Sprintf("%s %08.3f %s", a.file, a.start, a.class), fmt.Sprintf("%s %08.3f %s", b.file, b.start, b.class))
		})
	}
	sortDets(wantDets)

	// The logits of every window, from the model's layer read here, and the
	// scores by hand.
	m, err := zoo.Load(filepath.Join(models, "sigmoid.model"))
	if err != nil {
		t.Fatal(err)
	}
	logits := map[string][][]float32{}
	for _, r := range recordings {
		a, err := audio.Load(filepath.Join(dir, r.path))
		if err != nil {
			t.Fatal(err)
		}
		var windows [][]float32
		for start := 0; start+16000 <= a.NumFrames(); start += 16000 {
			windows = append(windows, a.Channels[0][start:start+16000])
		}
		if logits[r.path], err = m.Embed(windows, 16000, zoo.EmbedOptions{Layer: zoo.ExternalScores}); err != nil {
			t.Fatal(err)
		}
	}
	byHand := map[string]func(row []float32, k int) float64{
		"sigmoid": func(row []float32, k int) float64 { return 1 / (1 + math.Exp(-float64(row[k]))) },
		"softmax": func(row []float32, k int) float64 {
			sum := 0.0
			for _, x := range row {
				sum += math.Exp(float64(x))
			}
			return math.Exp(float64(row[k])) / sum
		},
	}
	byHand["none"], byHand["default"] = byHand["sigmoid"], byHand["sigmoid"] // none reads probs = sigmoid(logits)

	for _, activation := range []string{"sigmoid", "softmax", "none", "default"} {
		t.Run(activation, func(t *testing.T) {
			out := "out-" + activation
			r := dc(t, dir, "analyze", "-model-scores", "models/"+activation+".model", "-formats", "csv,raven", "-out", out, "rec").
				want(t, exitOK, "analyze -model-scores "+activation)
			if !strings.Contains(r.stdout, "analyzed 3 recordings (3 in this run") || !strings.Contains(r.stdout, fmt.Sprintf("%d detections of 3 classes", len(wantDets))) {
				t.Errorf("summary: %s", r.stdout)
			}
			for _, rec := range recordings {
				sc, err := detections.ReadScoresCSV(filepath.Join(dir, out, "scores", embedshards.ShardName(rec.path)+".csv"))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(sc.Classes, toneClasses) || len(sc.Values) != len(logits[rec.path]) {
					t.Fatalf("%s: classes %q, %d windows; want %q, %d", rec.path, sc.Classes, len(sc.Values), toneClasses, len(logits[rec.path]))
				}
				for i, row := range sc.Values {
					if sc.Keys[i].StartSeconds != float64(i) || sc.Keys[i].EndSeconds != float64(i+1) {
						t.Errorf("%s window %d: %g–%g s", rec.path, i, sc.Keys[i].StartSeconds, sc.Keys[i].EndSeconds)
					}
					for k, v := range row {
						if want := byHand[activation](logits[rec.path][i], k); math.Abs(float64(v)-want) > 1e-5 {
							t.Errorf("%s window %d class %d: score %.6f, want %.6f", rec.path, i, k, v, want)
						}
					}
				}
			}
			dets, err := detections.ReadCSV(filepath.Join(dir, out, "detections.detections.csv"))
			if err == nil {
				t.Errorf("a combined table without -combined")
			}
			var got []detection
			for _, rec := range recordings {
				dets, err = detections.ReadCSV(filepath.Join(dir, out, embedshards.ShardName(rec.path)+".detections.csv"))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range dets {
					got = append(got, detection{d.File, d.Label, d.StartSeconds, d.EndSeconds})
				}
				raven, err := os.ReadFile(filepath.Join(dir, out, embedshards.ShardName(rec.path)+".selections.txt"))
				if err != nil || strings.Count(string(raven), "\n") != 1+len(dets) {
					t.Errorf("%s: Raven table of %d detections:\n%s%v", rec.path, len(dets), raven, err)
				}
			}
			sortDets(got)
			if !slices.Equal(got, wantDets) {
				t.Errorf("detections\n%v\nwant\n%v", got, wantDets)
			}
		})
	}

	// A rerun (as predict) scores nothing again and writes the same tables;
	// -combined writes one table of all.
	r := dc(t, dir, "predict", "-model-scores", "models/sigmoid.model", "-formats", "csv", "-combined", "-out", "out-sigmoid", "rec").
		want(t, exitOK, "predict -model-scores again")
	if !strings.Contains(r.stdout, "(0 in this run") || !strings.Contains(r.stdout, "3 already scored") {
		t.Errorf("the rerun scored again: %s", r.stdout)
	}
	all, err := detections.ReadCSV(filepath.Join(dir, "out-sigmoid", "detections.detections.csv"))
	if err != nil || len(all) != len(wantDets) {
		t.Errorf("combined table: %d detections, want %d: %v", len(all), len(wantDets), err)
	}

	// Windows 'dawnchorus embed' put into the database from the model's class
	// outputs (-layer scores) are scored from there, to the same scores.
	dc(t, dir, "embed", "-model", "models/sigmoid.model", "-layer", zoo.ExternalScores, "rec").want(t, exitOK, "embed -layer scores")
	// search embeds its query with the settings the windows were stored with
	// (their layer, "scores"): the one window of the high tone (a.wav 4–5 s)
	// finds itself.
	r = dc(t, dir, "search", "-model", "models/sigmoid.model", "-start", "4", "-end", "5", "-k", "1", "rec/a.wav").want(t, exitOK, "search after embed -layer scores")
	if rows := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(rows) < 2 || !regexp.MustCompile(`^1\s+1\.0+\s+\S*rec/a\.wav\s+4(\.0+)?\s+5(\.0+)?\b`).MatchString(rows[1]) {
		t.Errorf("search after embed -layer scores: want the top hit rec/a.wav 4–5 s with score 1, got:\n%s", r.stdout)
	}
	r = dc(t, dir, "analyze", "-model-scores", "models/sigmoid.model", "-formats", "csv", "-out", "out-db", "rec").want(t, exitOK, "analyze from the database")
	if !strings.Contains(r.stdout, "3 of them from dawnchorus.db's windows") {
		t.Errorf("analyze did not reuse the database's windows: %s", r.stdout)
	}
	for _, rec := range recordings {
		name := embedshards.ShardName(rec.path) + ".csv"
		fromDB, err1 := detections.ReadScoresCSV(filepath.Join(dir, "out-db", "scores", name))
		embedded, err2 := detections.ReadScoresCSV(filepath.Join(dir, "out-sigmoid", "scores", name))
		if err1 != nil || err2 != nil || len(fromDB.Values) != len(embedded.Values) {
			t.Fatalf("%s: scores from the database %v, embedded %v", rec.path, err1, err2)
		}
		for i := range fromDB.Values {
			for k := range fromDB.Values[i] {
				if fromDB.Values[i][k] != embedded.Values[i][k] {
					t.Errorf("%s window %d class %d: %g from the database, %g embedded", rec.path, i, k, fromDB.Values[i][k], embedded.Values[i][k])
				}
			}
		}
	}
	os.Remove(filepath.Join(dir, defaultDB))

	// The embedding digest leaves the head out, so the database tells the
	// windows apart by layer and scores value: a model's embeddings (the
	// default layer, 3 wide like its logits), and its class outputs from
	// another scores value, are not taken for the class outputs.
	swap := filepath.Join(models, "swap.model")
	if err := os.WriteFile(swap, []byte(tonesModel("tones-swap", "scores = probs\nclasses = labels.txt\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	dc(t, dir, "embed", "-model", "models/swap.model", "rec").want(t, exitOK, "embed the default layer")
	dc(t, dir, "embed", "-model", "models/swap.model", "-layer", zoo.ExternalScores, "rec").want(t, exitOK, "embed the probs")
	if err := os.WriteFile(swap, []byte(tonesModel("tones-swap", "scores = logits\nclasses = labels.txt\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r = dc(t, dir, "analyze", "-model-scores", "models/swap.model", "-formats", "csv", "-out", "out-swap", "rec").want(t, exitOK, "analyze after embedding other layers")
	if !strings.Contains(r.stdout, "3 in this run, 0 of them from dawnchorus.db's windows") {
		t.Errorf("analyze reused windows of another layer or scores value: %s", r.stdout)
	}
	for _, rec := range recordings {
		name := embedshards.ShardName(rec.path) + ".csv"
		got, err1 := detections.ReadScoresCSV(filepath.Join(dir, "out-swap", "scores", name))
		want, err2 := detections.ReadScoresCSV(filepath.Join(dir, "out-sigmoid", "scores", name))
		if err1 != nil || err2 != nil || len(got.Values) != len(want.Values) || (len(got.Values) > 0 && got.Values[0][0] != want.Values[0][0]) {
			t.Errorf("%s: scores %v, want the logits' sigmoid %v (%v, %v)", rec.path, got.Values, want.Values, err1, err2)
		}
	}
	os.Remove(filepath.Join(dir, defaultDB))

	// Another class list is another classifier: its old scores are not reused.
	if err := os.WriteFile(filepath.Join(models, "labels.txt"), []byte("low tone\nmid tone\nother\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = dc(t, dir, "analyze", "-model-scores", "models/sigmoid.model", "-out", "out-sigmoid", "rec").want(t, exitFailed, "analyze with another class list")
	if !strings.Contains(r.stderr, "holds the scores of another detector or model") {
		t.Errorf("another class list: %s", r.stderr)
	}
	r = dc(t, dir, "analyze", "-model-scores", "models/sigmoid.model", "-formats", "csv", "-out", "out-renamed", "rec").want(t, exitOK, "analyze with the new class list")
	if dets, err := detections.ReadCSV(filepath.Join(dir, "out-renamed", "rec", "a.wav.detections.csv")); err != nil || len(dets) == 0 || dets[len(dets)-1].Label != "other" {
		t.Errorf("the new class list's names: %v, %v (%s)", dets, err, r.stdout)
	}

	// Other windows (-overlap) and another ONNX file (its bytes: a doc_string,
	// protobuf field 6, appended) are other scores too.
	r = dc(t, dir, "analyze", "-model-scores", "models/sigmoid.model", "-overlap", "0.5", "-out", "out-renamed", "rec").want(t, exitFailed, "analyze with another overlap")
	if !strings.Contains(r.stderr, "holds the scores of another detector or model") {
		t.Errorf("another overlap: %s", r.stderr)
	}
	if err := os.WriteFile(filepath.Join(models, "tones.onnx"), append(slices.Clip(onnx), 0x32, 1, 'x'), 0o644); err != nil {
		t.Fatal(err)
	}
	r = dc(t, dir, "analyze", "-model-scores", "models/sigmoid.model", "-out", "out-renamed", "rec").want(t, exitFailed, "analyze with another ONNX file")
	if !strings.Contains(r.stderr, "holds the scores of another detector or model") {
		t.Errorf("another ONNX file: %s", r.stderr)
	}
	if err := os.WriteFile(filepath.Join(models, "tones.onnx"), onnx, 0o644); err != nil {
		t.Fatal(err)
	}
	dc(t, dir, "analyze", "-model-scores", "models/sigmoid.model", "-formats", "csv", "-out", "out-renamed", "rec").want(t, exitOK, "analyze with the ONNX file restored")

	// A broken recording is logged; the others are scored.
	writeCorrupt(t, filepath.Join(dir, "rec", "zz-broken.wav"))
	r = dc(t, dir, "analyze", "-model-scores", "models/none.model", "-formats", "csv", "-out", "out-broken", "rec").want(t, exitSomeFailed, "analyze with a broken file")
	if log, _ := os.ReadFile(filepath.Join(dir, defaultErrorLog)); !strings.Contains(string(log), "zz-broken.wav") || !strings.Contains(r.stdout, "1 failed") {
		t.Errorf("broken file: log %q, stdout %s", log, r.stdout)
	}
	os.Remove(filepath.Join(dir, "rec", "zz-broken.wav"))

	for _, c := range []struct {
		name   string
		args   []string
		status int
		says   []string
		log    string // what the error log says, for a per-file error
	}{
		{"class count", []string{"-model-scores", "models/four.model"}, exitFailed, []string{"four.txt has 4 classes", `"logits"`, "gives 3 values"}, ""},
		{"no classes", []string{"-model-scores", "models/no-classes.model"}, exitFailed, []string{"tones-plain has no class outputs", "classes, scores and activation"}, ""},
		{"none on logits", []string{"-model-scores", "models/none-logits.model"}, exitSomeFailed, nil, `window at 0–1 s, class "low tone": zoo: class output 0 of clip 0 is -`},
		{"both ways", []string{"-model-scores", "models/sigmoid.model", "-detector", "detector"}, exitUsage, []string{"-detector: not with -model-scores", "give one"}, ""},
		{"detector's model flag", []string{"-model-scores", "models/sigmoid.model", "-model", "models/sigmoid.model"}, exitUsage, []string{"-model: not with -model-scores"}, ""},
		{"neither", nil, exitUsage, []string{"no detector in detector", "-model-scores MODEL"}, ""},
		{"overlap with a detector", []string{"-overlap", "0.5"}, exitUsage, []string{"-overlap: only with -model-scores"}, ""},
		{"overlap past the clip", []string{"-model-scores", "models/sigmoid.model", "-overlap", "1"}, exitUsage, []string{"-overlap 1 s", "< 1 s", "analyze -h"}, ""},
		{"negative overlap", []string{"-model-scores", "models/sigmoid.model", "-overlap", "-0.25"}, exitUsage, []string{"-overlap -0.25 s", "0 ≤ overlap"}, ""},
		{"NaN overlap", []string{"-model-scores", "models/sigmoid.model", "-overlap", "NaN"}, exitUsage, []string{"-overlap NaN s", "0 ≤ overlap"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := dc(t, dir, append(append([]string{"analyze"}, c.args...), "-out", "out-refused", "rec")...).want(t, c.status, c.name)
			for _, w := range c.says {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			if log, _ := os.ReadFile(filepath.Join(dir, defaultErrorLog)); c.log != "" && !strings.Contains(string(log), c.log) {
				t.Errorf("the error log does not say %q:\n%s", c.log, log)
			}
			os.RemoveAll(filepath.Join(dir, "out-refused"))
		})
	}
}

// TestAnalyzeHelp: analyze -h explains both ways to score, with a BirdNET-style
// config.
func TestAnalyzeHelp(t *testing.T) {
	r := dc(t, t.TempDir(), "analyze", "-h").want(t, exitOK, "analyze -h")
	for _, w := range []string{"-detector DIR", "-model-scores MODEL", "classes = BirdNET", "activation = sigmoid", "scores_pooling = max", "over time before the activation", "-model-scores birdnet.model", "not both"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("analyze -h does not say %q:\n%s", w, r.stderr)
		}
	}
}
