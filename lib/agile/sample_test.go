package agile

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

// testScores gives the test archive's windows scores like a classifier's: the
// targets mostly high, the background mostly low, a few of each on the other
// side of 0.5.
func testScores(truth []int) []float64 {
	rng := rand.New(rand.NewPCG(21, 22))
	scores := make([]float64, len(truth))
	for i, t := range truth {
		u := rng.Float64()
		switch {
		case t == 1 && u < 0.2:
			scores[i] = 0.3 + 0.2*rng.Float64()
		case t == 1:
			scores[i] = 0.55 + 0.45*rng.Float64()
		case u < 0.1:
			scores[i] = 0.5 + 0.4*rng.Float64()
		default:
			scores[i] = 0.45 * rng.Float64() * rng.Float64()
		}
	}
	return scores
}

// answersFrom answers each sampled window from the truth.
func answersFrom(s *ValidationSample, truth []int) []active.Answer {
	out := make([]active.Answer, len(s.Rows))
	for j, r := range s.Rows {
		out[j] = active.Answer(truth[r.Index])
	}
	return out
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		sizes []int
		n     int
		want  []int
	}{
		{[]int{10, 10, 10, 10}, 12, []int{3, 3, 3, 3}},
		{[]int{10, 10, 10, 10}, 14, []int{4, 4, 3, 3}},
		{[]int{40, 2, 0, 5}, 12, []int{5, 2, 0, 5}},
		{[]int{40, 2, 0, 5}, 13, []int{6, 2, 0, 5}},
		{[]int{1, 1}, 5, []int{1, 1}},
		{[]int{0, 0, 7}, 3, []int{0, 0, 3}},
	}
	for _, tc := range tests {
		if got := allocate(tc.sizes, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("allocate(%v, %d) = %v, want %v", tc.sizes, tc.n, got, tc.want)
		}
	}
}

func TestValidateSample(t *testing.T) {
	a, truth := testArchive(t)
	scores := testScores(truth)
	exclude := map[string]bool{"rec01.wav": true, "rec05.wav": true}
	s, err := a.ValidateSample(scores, SampleOptions{N: 12, Exclude: exclude, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Edges, []float64{0, 0.25, 0.5, 0.75, 1}) {
		t.Errorf("edges %v", s.Edges)
	}
	var sizes [4]int
	for i, sc := range scores {
		if !exclude[a.Windows.Keys[i].File] {
			sizes[min(3, int(sc*4))]++
		}
	}
	if !slices.Equal(s.Windows, sizes[:]) {
		t.Errorf("strata windows %v, counted %v", s.Windows, sizes)
	}
	perStratum := make([]int, 4)
	seen := map[int]bool{}
	for _, r := range s.Rows {
		perStratum[r.Stratum]++
		if seen[r.Index] || exclude[r.Key.File] || r.Key != a.Windows.Keys[r.Index] || r.Score != scores[r.Index] {
			t.Errorf("row %+v: twice, excluded, or not the window's key and score", r)
		}
		seen[r.Index] = true
		if r.Score < s.Edges[r.Stratum] || r.Score > s.Edges[r.Stratum+1] {
			t.Errorf("row %+v outside its stratum", r)
		}
	}
	if want := allocate(s.Windows, 12); !slices.Equal(perStratum, want) {
		t.Errorf("draws per stratum %v, want %v", perStratum, want)
	}
	again, _ := a.ValidateSample(scores, SampleOptions{N: 12, Exclude: exclude, Seed: 4})
	other, _ := a.ValidateSample(scores, SampleOptions{N: 12, Exclude: exclude, Seed: 5})
	if !slices.Equal(s.Indices(), again.Indices()) || slices.Equal(s.Indices(), other.Indices()) {
		t.Error("the draw is not a function of the seed")
	}
	if _, err := a.ValidateSample(scores, SampleOptions{N: 2, Seed: 1}); err == nil || !strings.Contains(err.Error(), "cannot cover") {
		t.Errorf("2 draws over 4 non-empty strata: %v", err)
	}
	bad := slices.Clone(scores)
	bad[3] = math.NaN()
	if _, err := a.ValidateSample(bad, SampleOptions{N: 12}); err == nil {
		t.Error("a NaN score was accepted")
	}
}

// TestEstimateExact: one stratum sampled whole is a census: the estimates
// are the truth, and the intervals Wilson's.
func TestEstimateExact(t *testing.T) {
	a, truth := testArchive(t)
	scores := testScores(truth)
	s, err := a.ValidateSample(scores, SampleOptions{N: a.Len(), Strata: 1})
	if err != nil {
		t.Fatal(err)
	}
	answers := answersFrom(s, truth)
	answers[0] = active.Unsure
	answers[1] = Unanswered
	e, err := s.Estimate(answers, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var above, aboveYes, all, allYes int
	for j, r := range s.Rows {
		if j < 2 {
			continue
		}
		all++
		allYes += truth[r.Index]
		if r.Score >= 0.5 {
			above++
			aboveYes += truth[r.Index]
		}
	}
	lo, hi := Wilson(aboveYes, above)
	dlo, dhi := Wilson(allYes, all)
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	if e.Answered != all || e.Above != above || e.Unsure != 1 || e.Unanswered != 1 || !near(e.Precision, float64(aboveYes)/float64(above)) ||
		!near(e.Density, float64(allYes)/float64(all)) || !near(e.PrecisionLow, lo) || !near(e.PrecisionHigh, hi) ||
		!near(e.DensityLow, dlo) || !near(e.DensityHigh, dhi) || !near(e.Recall, float64(aboveYes)/float64(allYes)) {
		t.Errorf("estimate %+v; truth: %d of %d above 0.5, %d of %d in all", e, aboveYes, above, allYes, all)
	}
	if _, err := s.Estimate(answers[1:], 0.5); err == nil {
		t.Error("answers of the wrong length accepted")
	}
}

// TestEstimateUnbiased: over many seeded samples of 12 of the 60 windows, the
// weighted estimates average to the archive's true precision and density
// (unbiased: the threshold is a stratum edge), though the sample
// over-represents high scores; the unweighted share would not.
func TestEstimateUnbiased(t *testing.T) {
	a, truth := testArchive(t)
	scores := testScores(truth)
	var above, aboveYes, allYes int
	for i, sc := range scores {
		allYes += truth[i]
		if sc >= 0.5 {
			above++
			aboveYes += truth[i]
		}
	}
	truePrecision, trueDensity := float64(aboveYes)/float64(above), float64(allYes)/float64(len(scores))
	const draws = 400
	var precision, density, naive float64
	covered := 0
	for seed := range uint64(draws) {
		s, err := a.ValidateSample(scores, SampleOptions{N: 12, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Estimate(answersFrom(s, truth), 0.5)
		if err != nil {
			t.Fatal(err)
		}
		precision += e.Precision / draws
		density += e.Density / draws
		naive += float64(e.Yes) / float64(e.Answered) / draws
		if e.DensityLow <= trueDensity && trueDensity <= e.DensityHigh {
			covered++
		}
	}
	t.Logf("true precision %.3f, density %.3f; mean estimates %.3f, %.3f; unweighted share %.3f; density interval covered %d of %d",
		truePrecision, trueDensity, precision, density, naive, covered, draws)
	if math.Abs(precision-truePrecision) > 0.01 || math.Abs(density-trueDensity) > 0.01 {
		t.Errorf("mean estimates %.4f, %.4f; truth %.4f, %.4f", precision, density, truePrecision, trueDensity)
	}
	if math.Abs(naive-trueDensity) < 0.05 {
		t.Errorf("the unweighted share %.3f is near the density %.3f: the strata do not over-sample high scores here", naive, trueDensity)
	}
	if covered < draws*85/100 {
		t.Errorf("the 95 %% density interval held the truth in %d of %d samples", covered, draws)
	}
}

func TestValidationCSV(t *testing.T) {
	a, truth := testArchive(t)
	scores := testScores(truth)
	s, err := a.ValidateSample(scores, SampleOptions{N: 10, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "validation.csv")
	if err := s.WriteCSV(path, "target"); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteCSV(path, "target"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second write replaced the worksheet: %v", err)
	}
	back, label, answers, err := ReadValidationCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if label != "target" || len(back.Rows) != len(s.Rows) || !slices.Equal(back.Windows, s.Windows) || !slices.Equal(back.Edges, s.Edges) {
		t.Fatalf("read back: label %q, %d rows, strata %v %v; wrote %d rows, %v %v", label, len(back.Rows), back.Windows, back.Edges, len(s.Rows), s.Windows, s.Edges)
	}
	for _, ans := range answers {
		if ans != Unanswered {
			t.Fatalf("an empty worksheet has answer %v", ans)
		}
	}
	// A person fills the last column.
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	want := answersFrom(s, truth)
	for j := range s.Rows {
		lines[1+j] += map[active.Answer]string{active.Yes: "yes", active.No: "0"}[want[j]]
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	back, _, answers, err = ReadValidationCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	for j, r := range back.Rows {
		if r.Key != s.Rows[j].Key || math.Abs(r.Score-s.Rows[j].Score) > 1e-6 || r.Stratum != s.Rows[j].Stratum || answers[j] != want[j] {
			t.Fatalf("row %d: %+v %v, wrote %+v %v", j, r, answers[j], s.Rows[j], want[j])
		}
	}
	e1, _ := s.Estimate(want, 0.5)
	e2, _ := back.Estimate(answers, 0.5)
	if math.Abs(e1.Precision-e2.Precision) > 1e-12 || math.Abs(e1.Density-e2.Density) > 1e-12 {
		t.Errorf("estimates differ after the round trip: %+v, %+v", e1, e2)
	}
	// Bad worksheets are refused by file and line.
	lines[2] = strings.TrimSuffix(strings.TrimSuffix(lines[2], "yes"), "0") + "maybe"
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	if _, _, _, err := ReadValidationCSV(path); err == nil || !strings.Contains(err.Error(), "validation.csv: line 3: target") {
		t.Errorf("a bad answer: %v", err)
	}
	os.WriteFile(path, []byte("file,start_time,end_time,target\n"), 0o644)
	if _, _, _, err := ReadValidationCSV(path); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("a label table read as a worksheet: %v", err)
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		in   string
		want active.Answer
		ok   bool
	}{
		{"1", active.Yes, true}, {" Yes ", active.Yes, true}, {"y", active.Yes, true}, {"positive", active.Yes, true},
		{"0", active.No, true}, {"NO", active.No, true}, {"negative", active.No, true},
		{"?", active.Unsure, true}, {"u", active.Unsure, true}, {"uncertain", active.Unsure, true},
		{"", Unanswered, true}, {"  ", Unanswered, true}, {"maybe", Unanswered, false}, {"2", Unanswered, false},
	}
	for _, tc := range tests {
		got, err := ParseAnswer(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseAnswer(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
