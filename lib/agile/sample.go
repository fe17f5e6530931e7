package agile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// SampleOptions say how ValidateSample draws.
type SampleOptions struct {
	// N is the number of windows to draw (required).
	N int
	// Strata is the number of score strata (default 4). With EqualWidth they
	// are equal-width bins of [0, 1]: [0, 0.25), [0.25, 0.5), [0.5, 0.75),
	// [0.75, 1]; with Quantiles, at most this many (see Stratification).
	Strata int
	// By says how the score range is cut into strata (default EqualWidth).
	By Stratification
	// Exclude leaves out every window of these files: the recordings that
	// trained the classifier or made the query.
	Exclude map[string]bool
	// Seed makes the draw.
	Seed uint64
}

func (o SampleOptions) withDefaults() SampleOptions {
	if o.Strata == 0 {
		o.Strata = 4
	}
	return o
}

// Stratification is how ValidateSample cuts the score range into strata.
//
// EqualWidth stays the default because neither choice is better for every
// estimate, and on lesson 06 equal widths are better for one of them. Equal
// widths guarantee draws from whichever strata hold the rare high scores:
// on an archive where almost every score is near 0 they put up to a quarter
// of the draws above 0.75 if any window scores there, so the precision at a
// high threshold rests on checked windows (in lesson 06 its one window
// above 0.5 is always drawn). But the strata then barely stratify: the
// lesson's hold [40 0 0 1] windows, and nearly all draws come from the
// lowest, which is close to a simple random sample there. Quantiles spread
// the draws over the archive's own score order: every stratum holds about
// the same number of windows, so the sample covers low, middle and high
// scores of this archive whatever their values; but on a skewed archive its
// top stratum holds a quarter of the windows, not only the high scorers, and
// a single window above the threshold is drawn only with that stratum's
// sampling fraction. Use Quantiles to estimate the density and recall over
// an archive whose scores crowd into a narrow range; EqualWidth to check the
// precision above a threshold that few windows reach.
type Stratification int

const (
	// EqualWidth cuts [0, 1] into Strata bins of equal width.
	EqualWidth Stratification = iota
	// Quantiles cuts the scores of the windows that can be drawn (excluded
	// files left out) into Strata groups of about equal size: the cut
	// between strata h−1 and h goes at the boundary between two distinct
	// scores nearest to h·n/Strata in score order (the lower of two equally
	// near), so tied scores always share a stratum; cuts that coincide or
	// fall at either end are dropped, so many tied scores (say at 0) give
	// fewer, unequal strata. Edges[h] is then the lowest score of stratum h
	// (0 and 1 at the ends).
	Quantiles
)

func (b Stratification) String() string {
	switch b {
	case EqualWidth:
		return "width"
	case Quantiles:
		return "quantiles"
	}
	return fmt.Sprintf("Stratification(%d)", int(b))
}

// ParseStratification reads "width" (EqualWidth) or "quantiles" (Quantiles).
func ParseStratification(s string) (Stratification, error) {
	for _, b := range []Stratification{EqualWidth, Quantiles} {
		if s == b.String() {
			return b, nil
		}
	}
	return 0, fmt.Errorf("strata by %q: want width or quantiles", s)
}

// quantileEdges returns the edges of at most strata strata of about equal
// size over scores (any order; see Quantiles): 0, the lowest score of each
// stratum above the first, and 1.
func quantileEdges(scores []float64, strata int) []float64 {
	sorted := slices.Clone(scores)
	slices.Sort(sorted)
	n := len(sorted)
	// The possible cuts: the ends, and positions b with sorted[b-1] < sorted[b].
	cuts := []int{0}
	for b := 1; b < n; b++ {
		if sorted[b-1] < sorted[b] {
			cuts = append(cuts, b)
		}
	}
	cuts = append(cuts, n)
	edges := []float64{0}
	last := 0
	for h := 1; h < strata; h++ {
		// The cut nearest to h·n/strata, compared as |strata·b − h·n|.
		best := 0
		dist := func(b int) int { return max(strata*b-h*n, h*n-strata*b) }
		for _, b := range cuts {
			if dist(b) < dist(best) {
				best = b
			}
		}
		if best > last && best < n {
			edges = append(edges, sorted[best])
			last = best
		}
	}
	return append(edges, 1)
}

// SampledWindow is one window of a validation sample.
type SampledWindow struct {
	Key     embed.Key
	Score   float64
	Stratum int
	// Index is the window's pool index (−1 in a sample read back from a CSV).
	Index int
}

// ValidationSample is a sample of windows stratified by score: the scores'
// range [0, 1] is cut into strata (equal-width, or by the archive's score
// quantiles: Stratification), and each stratum gives about
// the same number of windows, drawn at random (seeded) from it. Most windows
// of an archive score low and few score high, so a simple random sample would
// hold almost no high-scoring windows; stratifying by score puts the checks
// where the classifier's claims are, and weighting each answer by its
// stratum's size (Windows[h] / windows drawn from h) still estimates
// quantities of the whole archive (Estimate).
type ValidationSample struct {
	// Edges are the strata's bounds: stratum h holds scores in
	// [Edges[h], Edges[h+1]), the last one also Edges[len−1].
	Edges []float64
	// Windows[h] is the number of windows in stratum h (those of excluded
	// files left out): the population the stratum's draws stand for.
	Windows []int
	// Rows are the drawn windows, by stratum, then file and start.
	Rows []SampledWindow
}

// String says how the sample was drawn: its number of windows, and the
// strata's sizes and score edges, as plain lists (brackets in the course mean
// a 95 % interval): "24 windows drawn from 4 strata of 10, 10, 11, 10
// windows; edges at scores 0, 0.00121, 0.00314, 0.0131, 1".
func (s *ValidationSample) String() string {
	sizes := make([]string, len(s.Windows))
	for h, n := range s.Windows {
		sizes[h] = strconv.Itoa(n)
	}
	edges := make([]string, len(s.Edges))
	for h, e := range s.Edges {
		edges[h] = strconv.FormatFloat(e, 'g', 3, 64)
	}
	return fmt.Sprintf("%d windows drawn from %d strata of %s windows; edges at scores %s",
		len(s.Rows), len(s.Windows), strings.Join(sizes, ", "), strings.Join(edges, ", "))
}

// Indices returns the pool indices of the sample's windows, in row order.
func (s *ValidationSample) Indices() []int {
	out := make([]int, len(s.Rows))
	for j, r := range s.Rows {
		out[j] = r.Index
	}
	return out
}

// ValidateSample draws a validation sample of the windows stratified by their
// scores (one per window, in [0, 1]; see ValidationSample). The N draws are
// spread evenly over the strata that hold windows (N must be at least their
// number, so that every window is represented); a stratum with fewer windows
// than its share gives them all, and the rest go to the others. The
// draw is seeded and made in file and start order, so it does not depend on
// the order windows went into the database.
func (a *Archive) ValidateSample(scores []float64, o SampleOptions) (*ValidationSample, error) {
	o = o.withDefaults()
	if len(scores) != a.Len() {
		return nil, fmt.Errorf("agile: %d scores for %d windows", len(scores), a.Len())
	}
	if o.N <= 0 || o.Strata <= 0 {
		return nil, fmt.Errorf("agile: a validation sample needs N > 0 and Strata > 0 (have %d, %d)", o.N, o.Strata)
	}
	var drawable []int
	for i, score := range scores {
		if !(score >= 0 && score <= 1) {
			return nil, fmt.Errorf("agile: window %s at %g s: score %g outside [0, 1]", a.Windows.Keys[i].File, a.Windows.Keys[i].StartSeconds, score)
		}
		if !o.Exclude[a.Windows.Keys[i].File] {
			drawable = append(drawable, i)
		}
	}
	s := &ValidationSample{}
	switch o.By {
	case EqualWidth:
		s.Edges = make([]float64, o.Strata+1)
		for h := range s.Edges {
			s.Edges[h] = float64(h) / float64(o.Strata)
		}
	case Quantiles:
		values := make([]float64, len(drawable))
		for j, i := range drawable {
			values[j] = scores[i]
		}
		s.Edges = quantileEdges(values, o.Strata)
	default:
		return nil, fmt.Errorf("agile: unknown stratification %v", o.By)
	}
	s.Windows = make([]int, len(s.Edges)-1)
	members := make([][]int, len(s.Windows))
	for _, i := range drawable {
		score := scores[i]
		h := s.stratum(score)
		members[h] = append(members[h], i)
		s.Windows[h]++
	}
	nonEmpty := 0
	for _, n := range s.Windows {
		if n > 0 {
			nonEmpty++
		}
	}
	if o.N < nonEmpty {
		return nil, fmt.Errorf("agile: %d draws cannot cover the %d score strata that hold windows: draw more, or use fewer strata", o.N, nonEmpty)
	}
	quota := allocate(s.Windows, o.N)
	rng := rand.New(rand.NewPCG(o.Seed, 0x737472617461))
	for h, m := range members {
		a.byKey(m)
		rng.Shuffle(len(m), func(p, q int) { m[p], m[q] = m[q], m[p] })
		drawn := m[:quota[h]]
		a.byKey(drawn)
		for _, i := range drawn {
			s.Rows = append(s.Rows, SampledWindow{Key: a.Windows.Keys[i], Score: scores[i], Stratum: h, Index: i})
		}
	}
	return s, nil
}

// stratum returns the stratum of a score in [0, 1].
func (s *ValidationSample) stratum(score float64) int {
	n := len(s.Windows)
	for h := range n - 1 {
		if score < s.Edges[h+1] {
			return h
		}
	}
	return n - 1
}

// allocate spreads n draws over strata of the given sizes: evenly over the
// non-empty ones, capped by their sizes, the remainder going to the lowest
// strata with room.
func allocate(sizes []int, n int) []int {
	quota := make([]int, len(sizes))
	for n > 0 {
		open := 0
		for h, size := range sizes {
			if quota[h] < size {
				open++
			}
		}
		if open == 0 {
			break
		}
		share := max(1, n/open)
		for h, size := range sizes {
			if n == 0 {
				break
			}
			take := min(share, size-quota[h], n)
			quota[h] += take
			n -= take
		}
	}
	return quota
}

// Estimate is what a labelled validation sample says about the archive.
// Every answer stands for Windows[h] / (answers in stratum h) windows of its
// stratum, so the estimates hold for the whole archive (excluded files left
// out), not only for the sample.
type Estimate struct {
	Threshold float64
	// Answered counts the rows with an answer other than Unsure; Yes those
	// that are positive; Unsure and Unanswered the others.
	Answered, Yes, Unsure, Unanswered int
	// Precision is the estimated share of positives among the windows scoring
	// at least Threshold; Above is the number of answered rows that do.
	Precision float64
	Above     int
	// Density is the estimated share of positives among all windows (call
	// density); PositivesAbove and Positives the estimated numbers of positive
	// windows scoring at least Threshold and in all.
	Density                   float64
	PositivesAbove, Positives float64
	// Recall is PositivesAbove / Positives: the weighted share of the yes
	// answers that score at least Threshold.
	Recall float64
	// PrecisionLow, PrecisionHigh, DensityLow, DensityHigh, RecallLow and
	// RecallHigh bound 95 % intervals: Wilson's, on the weighted proportion
	// and Kish's effective sample size (Σw)² / Σw² over the N_h / answered_h
	// weights (Wilson's exactly when the weights are equal). They are
	// approximate: Kish's n stands in for the design's variance. The
	// recall's is the weighted share of the yes answers that score at least
	// Threshold; it is conservative (wider than it needs) when the strata
	// are of about equal size, and too high and too narrow when a large
	// low-score stratum's sample finds no positive: that stratum then
	// counts for no missed positives and adds no weight to n, though its
	// many unsampled windows may hold some.
	PrecisionLow, PrecisionHigh, DensityLow, DensityHigh, RecallLow, RecallHigh float64
	// Unrepresented counts the windows of strata that have no answer: the
	// estimates leave them out.
	Unrepresented int
}

func (e Estimate) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "precision at score ≥ %.2f: %.2f, 95 %% interval [%.2f, %.2f] (%d answered windows above it)\n",
		e.Threshold, e.Precision, e.PrecisionLow, e.PrecisionHigh, e.Above)
	fmt.Fprintf(&b, "density (share of positive windows): %.3f, 95 %% interval [%.3f, %.3f]: an estimated %.1f positive windows (answers weighted by their strata's sizes), %.1f of them at score ≥ %.2f (recall %.2f, 95 %% interval [%.2f, %.2f])\n",
		e.Density, e.DensityLow, e.DensityHigh, e.Positives, e.PositivesAbove, e.Threshold, e.Recall, e.RecallLow, e.RecallHigh)
	fmt.Fprintf(&b, "from %d answers (%d yes), %d unsure, %d not answered", e.Answered, e.Yes, e.Unsure, e.Unanswered)
	if e.Unrepresented > 0 {
		fmt.Fprintf(&b, "; %d windows are in strata without an answer and left out", e.Unrepresented)
	}
	return b.String()
}

// Unanswered marks a row of a validation sample that has no answer yet (in
// Estimate's answers and ParseAnswer's result).
const Unanswered active.Answer = -2

// Estimate computes the estimates at threshold from one answer per row (Yes,
// No, Unsure or Unanswered; Unsure and Unanswered rows are left out).
func (s *ValidationSample) Estimate(answers []active.Answer, threshold float64) (Estimate, error) {
	if len(answers) != len(s.Rows) {
		return Estimate{}, fmt.Errorf("agile: %d answers for %d sampled windows", len(answers), len(s.Rows))
	}
	e := Estimate{Threshold: threshold}
	answered := make([]int, len(s.Windows))
	for j, ans := range answers {
		switch ans {
		case active.Yes, active.No:
			e.Answered++
			answered[s.Rows[j].Stratum]++
			if ans == active.Yes {
				e.Yes++
			}
		case active.Unsure:
			e.Unsure++
		case Unanswered:
			e.Unanswered++
		default:
			return Estimate{}, fmt.Errorf("agile: row %d: answer %d is not Yes, No, Unsure or Unanswered", j, ans)
		}
	}
	for h, n := range answered {
		if n == 0 {
			e.Unrepresented += s.Windows[h]
		}
	}
	var all, above, positives proportion
	for j, ans := range answers {
		if ans != active.Yes && ans != active.No {
			continue
		}
		r := s.Rows[j]
		w := float64(s.Windows[r.Stratum]) / float64(answered[r.Stratum])
		all.add(w, ans == active.Yes)
		if ans == active.Yes {
			positives.add(w, r.Score >= threshold)
		}
		if r.Score >= threshold {
			above.add(w, ans == active.Yes)
			e.Above++
		}
	}
	e.Precision, e.PrecisionLow, e.PrecisionHigh = above.estimate()
	e.Density, e.DensityLow, e.DensityHigh = all.estimate()
	e.Positives, e.PositivesAbove = all.yes, above.yes
	e.Recall, e.RecallLow, e.RecallHigh = positives.estimate()
	return e, nil
}

// proportion accumulates a weighted proportion.
type proportion struct{ sum, sumSq, yes float64 }

func (p *proportion) add(w float64, yes bool) {
	p.sum += w
	p.sumSq += w * w
	if yes {
		p.yes += w
	}
}

// estimate returns the weighted proportion and its 95 % Wilson interval at
// Kish's effective sample size (approximate; see Estimate's RecallLow); 0
// and [0, 1] when empty.
func (p proportion) estimate() (value, low, high float64) {
	if p.sum == 0 {
		return 0, 0, 1
	}
	value = p.yes / p.sum
	nEff := p.sum * p.sum / p.sumSq
	low, high = wilson(value*nEff, nEff)
	return value, low, high
}

// ParseAnswer reads an answer as written in a label or validation CSV, or
// typed: 1, y, yes, positive → Yes; 0, n, no, negative → No; ?, u, unsure,
// uncertain → Unsure; empty → Unanswered (case and spaces ignored).
func ParseAnswer(s string) (active.Answer, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "y", "yes", "positive":
		return active.Yes, nil
	case "0", "n", "no", "negative":
		return active.No, nil
	case "?", "u", "unsure", "uncertain":
		return active.Unsure, nil
	case "":
		return Unanswered, nil
	}
	return Unanswered, fmt.Errorf("answer %q: want 1/yes, 0/no, ?/unsure or nothing", s)
}

// LabelType is the annotation type an answer is stored as: Yes positive, No
// negative, Unsure uncertain.
func LabelType(ans active.Answer) embeddb.LabelType {
	switch ans {
	case active.Yes:
		return embeddb.Positive
	case active.No:
		return embeddb.Negative
	}
	return embeddb.Uncertain
}

// The columns of a validation CSV before the label's answer column.
var validationColumns = []string{"file", "start_time", "end_time", "score", "stratum", "stratum_low", "stratum_high", "stratum_windows"}

// WriteCSV writes the sample to path, atomically, as a worksheet for a person:
// one row per window (file, start_time, end_time, score, its stratum's number,
// bounds and number of windows) and an empty last column named label, to be
// filled with 1 (yes), 0 (no) or ? (unsure). ReadValidationCSV reads it back
// with the answers. It refuses to replace an existing file (its answers would
// be lost).
func (s *ValidationSample) WriteCSV(path, label string) error {
	if label == "" || slices.Contains(validationColumns, label) {
		return fmt.Errorf("agile: %s: label %q cannot name the answer column", path, label)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("agile: %s exists; it may hold answers: remove it or write elsewhere", path)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append(slices.Clone(validationColumns), label))
		f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
		for _, r := range s.Rows {
			cw.Write([]string{r.Key.File, f(r.Key.StartSeconds), f(r.Key.EndSeconds), strconv.FormatFloat(r.Score, 'f', 6, 64),
				strconv.Itoa(r.Stratum), f(s.Edges[r.Stratum]), f(s.Edges[r.Stratum+1]), strconv.Itoa(s.Windows[r.Stratum]), ""})
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReadValidationCSV reads a worksheet WriteCSV wrote (its answers filled in
// or not): the sample, the label (the last column's name) and one answer per
// row (Unanswered where the cell is empty). Errors name the file and line.
func ReadValidationCSV(path string) (s *ValidationSample, label string, answers []active.Answer, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(header) != len(validationColumns)+1 || !slices.Equal(header[:len(validationColumns)], validationColumns) {
		return nil, "", nil, fmt.Errorf("%s: header %q: want %s,LABEL (a file 'dawnchorus validate' wrote)", path, strings.Join(header, ","), strings.Join(validationColumns, ","))
	}
	label = header[len(header)-1]
	s = &ValidationSample{}
	type bounds struct{ low, high float64 }
	strata := map[int]bounds{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", nil, fmt.Errorf("%s: %w", path, err)
		}
		bad := func(what string, err error) error { return fmt.Errorf("%s: line %d: %s: %v", path, line, what, err) }
		var v [6]float64
		for c := range v {
			if v[c], err = strconv.ParseFloat(rec[1+c], 64); err != nil || math.IsNaN(v[c]) {
				return nil, "", nil, bad(header[1+c], fmt.Errorf("%q is not a number", rec[1+c]))
			}
		}
		h, err := strconv.Atoi(rec[4])
		if err != nil || h < 0 || h > 1000 {
			return nil, "", nil, bad("stratum", fmt.Errorf("%q is not a stratum number", rec[4]))
		}
		n, err := strconv.Atoi(rec[7])
		if err != nil || n <= 0 {
			return nil, "", nil, bad("stratum_windows", fmt.Errorf("%q is not a positive count", rec[7]))
		}
		ans, err := ParseAnswer(rec[8])
		if err != nil {
			return nil, "", nil, bad(label, err)
		}
		for len(s.Windows) <= h {
			s.Windows = append(s.Windows, 0)
		}
		if s.Windows[h] != 0 && (s.Windows[h] != n || strata[h] != bounds{v[4], v[5]}) {
			return nil, "", nil, bad("stratum", fmt.Errorf("stratum %d has other bounds or counts on earlier lines", h))
		}
		s.Windows[h], strata[h] = n, bounds{v[4], v[5]}
		s.Rows = append(s.Rows, SampledWindow{Key: embed.Key{File: rec[0], StartSeconds: v[0], EndSeconds: v[1]}, Score: v[2], Stratum: h, Index: -1})
		answers = append(answers, ans)
	}
	if len(s.Rows) == 0 {
		return nil, "", nil, fmt.Errorf("%s: no sampled windows", path)
	}
	// A stratum nothing was drawn from holds no window (ValidateSample draws
	// from every one that does); it is an equal-width one (Quantiles strata
	// all hold windows), so its bounds follow from the equal widths.
	width := strata[s.Rows[0].Stratum].high - strata[s.Rows[0].Stratum].low
	s.Edges = make([]float64, len(s.Windows)+1)
	for h := range s.Edges {
		s.Edges[h] = float64(h) * width
	}
	for h, b := range strata {
		s.Edges[h], s.Edges[h+1] = b.low, b.high
	}
	return s, label, answers, nil
}
