package detections

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// curve is one file's windows (start, end in seconds) with their scores of
// the classes "a" and "b".
func curve(spans [][2]float64, a, b []float32) *Scores {
	s := &Scores{Classes: []string{"a", "b"}}
	for i, sp := range spans {
		s.Keys = append(s.Keys, embed.Key{File: "f.wav", StartSeconds: sp[0], EndSeconds: sp[1]})
		s.Values = append(s.Values, []float32{a[i], b[i]})
	}
	return s
}

// hop returns n windows of 3 s every hopSeconds from 0.
func hop(n int, hopSeconds float64) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{float64(i) * hopSeconds, float64(i)*hopSeconds + 3}
	}
	return out
}

func det(start, end float64, label string, conf float32) Detection {
	return Detection{File: "f.wav", StartSeconds: start, EndSeconds: end, Label: label, Confidence: conf}
}

// TestDetectEvents: runs of windows split at dips (SplitDrop) and cut to a
// length (MaxEventSeconds), against events worked out by hand.
func TestDetectEvents(t *testing.T) {
	zero := []float32{0, 0, 0, 0, 0}
	touching := curve(hop(3, 3), []float32{0.9, 0.8, 0.9}, zero)
	// A dip: hop 1 s, the score falls from 0.95 to 0.6 and rises to 0.9.
	dip := curve(hop(5, 1), []float32{0.9, 0.95, 0.6, 0.9, 0.8}, zero)
	// One long call: hop 1.5 s, the score wanders by less than 0.2.
	long := curve(hop(4, 1.5), []float32{0.7, 0.9, 0.92, 0.8}, zero)
	// Two calls 0.5 s apart, closer than a window: hop 1 s, a shallow dip.
	close := curve(hop(4, 1), []float32{0.9, 0.8, 0.85, 0.9}, zero)
	// Two classes: a one long run, b two runs with a dip in the first.
	multi := curve(hop(5, 1), []float32{0.9, 0.9, 0.9, 0.9, 0.9}, []float32{0.9, 0.5, 0.8, 0.1, 0.7})
	merge := Options{MinConfidence: 0.5, Merge: true}
	with := func(maxSeconds, drop float64) Options {
		o := merge
		o.MaxEventSeconds, o.SplitDrop = maxSeconds, drop
		return o
	}
	for _, c := range []struct {
		name string
		s    *Scores
		o    Options
		want []Detection
	}{
		{"touching windows, merged", touching, merge, []Detection{det(0, 9, "a", 0.9)}},
		{"touching windows, at most 3 s", touching, with(3, 0), []Detection{det(0, 3, "a", 0.9), det(3, 6, "a", 0.8), det(6, 9, "a", 0.9)}},
		{"touching windows, at most 6 s", touching, with(6, 0), []Detection{det(0, 6, "a", 0.9), det(6, 9, "a", 0.9)}},
		{"touching windows, 7.5 s fits 2", touching, with(7.5, 0), []Detection{det(0, 6, "a", 0.9), det(6, 9, "a", 0.9)}},
		{"touching windows, no merge", touching, Options{MinConfidence: 0.5}, []Detection{det(0, 3, "a", 0.9), det(3, 6, "a", 0.8), det(6, 9, "a", 0.9)}},
		{"a dip, merged", dip, merge, []Detection{det(0, 7, "a", 0.95)}},
		// 0.95 − 0.6 ≥ 0.2 and 0.9 − 0.6 ≥ 0.2: the trough window ends the first event.
		{"a dip of 0.2", dip, with(0, 0.2), []Detection{det(0, 5, "a", 0.95), det(3, 7, "a", 0.9)}},
		// 0.9 rises only 0.3 above the trough: no split.
		{"a dip of 0.35", dip, with(0, 0.35), []Detection{det(0, 7, "a", 0.95)}},
		{"a dip of 0.2, at most 3 s", dip, with(3, 0.2), []Detection{det(0, 3, "a", 0.9), det(1, 4, "a", 0.95), det(2, 5, "a", 0.6), det(3, 6, "a", 0.9), det(4, 7, "a", 0.8)}},
		{"a dip of 0.2, at most 5 s", dip, with(5, 0.2), []Detection{det(0, 5, "a", 0.95), det(3, 7, "a", 0.9)}},
		{"one long call, a dip of 0.2", long, with(0, 0.2), []Detection{det(0, 7.5, "a", 0.92)}},
		{"one long call, at most 4.5 s", long, with(4.5, 0), []Detection{det(0, 4.5, "a", 0.9), det(3, 7.5, "a", 0.92)}},
		{"one long call, at most 3 s", long, with(3, 0), []Detection{det(0, 3, "a", 0.7), det(1.5, 4.5, "a", 0.9), det(3, 6, "a", 0.92), det(4.5, 7.5, "a", 0.8)}},
		{"two close calls, merged", close, merge, []Detection{det(0, 6, "a", 0.9)}},
		{"two close calls, a dip of 0.05", close, with(0, 0.05), []Detection{det(0, 4, "a", 0.9), det(2, 6, "a", 0.9)}},
		{"two close calls, a dip of exactly 0.1", close, with(0, 0.1), []Detection{det(0, 4, "a", 0.9), det(2, 6, "a", 0.9)}},
		{"two close calls, a dip of 0.15", close, with(0, 0.15), []Detection{det(0, 6, "a", 0.9)}},
		// b's kept windows 0–3, 1–4, 2–5 and 4–7 overlap: one run, scores 0.9,
		// 0.5, 0.8, 0.7, with a dip of 0.4 and a rise of 0.3 after 1–4.
		{"two classes, merged", multi, merge, []Detection{det(0, 7, "a", 0.9), det(0, 7, "b", 0.9)}},
		{"two classes, a dip of 0.25", multi, with(0, 0.25), []Detection{det(0, 7, "a", 0.9), det(0, 4, "b", 0.9), det(2, 7, "b", 0.8)}},
		{"two classes, at most 4 s", multi, with(4, 0), []Detection{det(0, 4, "a", 0.9), det(0, 4, "b", 0.9), det(2, 6, "a", 0.9), det(2, 5, "b", 0.8), det(4, 7, "a", 0.9), det(4, 7, "b", 0.7)}},
	} {
		got, err := Detect(c.s, c.o)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v (%v)\nwant %v", c.name, got, err, c.want)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	for _, c := range []struct {
		o      Options
		option string
	}{
		{Options{MinConfidence: 1.5}, "MinConfidence"},
		{Options{MinConfidence: -0.1}, "MinConfidence"},
		{Options{MinConfidence: math.NaN()}, "MinConfidence"},
		{Options{MergeGapSeconds: -1}, "MergeGapSeconds"},
		{Options{MaxEventSeconds: -3}, "MaxEventSeconds"},
		{Options{MaxEventSeconds: math.Inf(1)}, "MaxEventSeconds"},
		{Options{SplitDrop: -0.1}, "SplitDrop"},
		{Options{SplitDrop: 1.1}, "SplitDrop"},
		// Below the scores' tolerance a flat curve would split at every window.
		{Options{SplitDrop: 1e-7}, "SplitDrop"},
		{Options{SplitDrop: 0.0009}, "SplitDrop"},
		{Options{SplitDrop: math.NaN()}, "SplitDrop"},
		{Options{Merge: true, SplitDrop: MinSplitDrop}, ""},
		{Options{Merge: true, SplitDrop: 1}, ""},
		{Options{MinConfidence: 0.5, Merge: true, MaxEventSeconds: 3, SplitDrop: 0.1}, ""},
	} {
		err := c.o.Check()
		var bad *OptionError
		if c.option == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.o, err)
			}
			continue
		}
		if !errors.As(err, &bad) || bad.Option != c.option {
			t.Errorf("%+v: error %v, want one naming %s", c.o, err, c.option)
		}
		if _, err := Detect(testScores(), c.o); err == nil {
			t.Errorf("Detect with %+v: no error", c.o)
		}
	}
}

// TestEventsPartitionRuns: on seeded random score curves, the events of a
// class are its kept windows, each in exactly one event, in time order; an
// event of several windows fits MaxEventSeconds; and every event of a split
// without a cap lies within one run of the plain merge.
func TestEventsPartitionRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	for trial := range 300 {
		n := 1 + rng.IntN(30)
		hopSeconds := []float64{1, 1.5, 3, 4}[rng.IntN(4)]
		var kept []window
		for i := range n {
			if x := rng.Float32(); x >= 0.3 {
				kept = append(kept, window{float64(i) * hopSeconds, float64(i)*hopSeconds + 3, x})
			}
		}
		o := Options{MinConfidence: 0.3, Merge: true, MergeGapSeconds: float64(rng.IntN(3)),
			MaxEventSeconds: []float64{0, 3, 5, 9}[rng.IntN(4)], SplitDrop: []float64{0, 0.1, 0.3}[rng.IntN(3)]}
		var flat []window
		for _, ev := range events(kept, o) {
			if len(ev) == 0 {
				t.Fatalf("trial %d: an empty event", trial)
			}
			if len(ev) > 1 && o.MaxEventSeconds > 0 && ev[len(ev)-1].endSeconds-ev[0].startSeconds > o.MaxEventSeconds+timeTolerance {
				t.Errorf("trial %d: event %v longer than %g s", trial, ev, o.MaxEventSeconds)
			}
			flat = append(flat, ev...)
		}
		if !reflect.DeepEqual(flat, kept) && len(kept) > 0 {
			t.Fatalf("trial %d (%+v): events %v of windows %v", trial, o, flat, kept)
		}
		runs := mergeRuns(kept, o.MergeGapSeconds)
		runOf := map[float64]int{}
		for r, run := range runs {
			for _, w := range run {
				runOf[w.startSeconds] = r
			}
		}
		for _, ev := range events(kept, Options{MinConfidence: 0.3, Merge: true, MergeGapSeconds: o.MergeGapSeconds, SplitDrop: o.SplitDrop}) {
			if runOf[ev[0].startSeconds] != runOf[ev[len(ev)-1].startSeconds] {
				t.Errorf("trial %d: event %v spans two runs", trial, ev)
			}
		}
	}
}
