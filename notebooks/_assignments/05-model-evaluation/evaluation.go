// Package evaluation is the assignment of lesson 05 (model evaluation): the three
// habits that keep an evaluation honest, written by hand.
//
//   - GroupedSplit keeps every clip of one recording (a group) on one side of the
//     train/test split, so the test set measures new recordings, not new clips of
//     recordings the model has already heard.
//   - ChooseThreshold picks a decision threshold on validation clips, and
//     F1AtThreshold measures it on test clips, so the threshold never sees the test set.
//   - BootstrapAccuracy and GroupedBootstrapAccuracy put a confidence interval on an
//     accuracy, resampling clips or whole recordings.
//
// Run the checks with `make grade A=05-model-evaluation` from the repository root.
package evaluation

// GroupedSplit splits the rows 0 … len(groups)-1 into train and test so that all the
// rows of one group (groups[i] is the recording of row i) land on the same side.
// The distinct groups are put in a seeded random order (the same seed gives the same
// split), and groups go to test, in that order, until test holds at least
// testFraction of the rows; the rest is train. Both index lists are sorted. It
// returns an error when testFraction is not in (0, 1) or groups is empty.
func GroupedSplit(groups []string, testFraction float64,
	seed uint64) (train, test []int, err error) {
	// TODO: shuffle the distinct groups with rand.New(rand.NewPCG(seed, 0)), fill test group by group
	panic("not implemented: shuffle the distinct groups with rand.New(rand.NewPCG(seed, 0)), fill test group by group")
}

// F1AtThreshold returns the F1 score of one class when the clips scored ≥ threshold
// are called positive: 2·TP / (2·TP + FP + FN), or 0 when that denominator is 0.
// labels[i] is 1 when clip i holds the class, else 0.
func F1AtThreshold(scores []float64, labels []int, threshold float64) float64 {
	// TODO: count true positives, false positives and false negatives
	panic("not implemented: count true positives, false positives and false negatives")
}

// ChooseThreshold returns the threshold with the best F1 on the given (validation)
// clips: the candidates are the distinct scores, and among candidates with equal F1
// the highest wins. Measure the chosen threshold on test clips with F1AtThreshold;
// never choose it on them.
func ChooseThreshold(scores []float64, labels []int) float64 {
	// TODO: try every distinct score as the threshold, keep the best F1 (the highest score on ties)
	panic("not implemented: try every distinct score as the threshold, keep the best F1 (the highest score on ties)")
}

// BootstrapAccuracy returns a percentile bootstrap confidence interval on an
// accuracy: correct[i] says whether clip i was classified correctly. Each of
// resamples replicates draws len(correct) clips with replacement and computes
// their accuracy. The draws come from one generator, rng :=
// rand.New(rand.NewPCG(seed, 0)): replicate after replicate, each draw is clip
// rng.IntN(len(correct)). lower and upper are the (1−level)/2 and (1+level)/2
// quantiles of the replicates' accuracies, read from them sorted by linear
// interpolation: the q quantile sits at position q·(resamples−1), between the
// two replicates around it (numpy's default).
func BootstrapAccuracy(correct []bool, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	// TODO: resample clips with replacement, sort the replicate accuracies, read the two quantiles
	panic("not implemented: resample clips with replacement, sort the replicate accuracies, read the two quantiles")
}

// GroupedBootstrapAccuracy is BootstrapAccuracy resampling whole groups (groups[i] is
// the recording of clip i): each replicate draws as many groups as there are, with
// replacement, and its accuracy pools every clip of every draw (right clips over
// clips drawn, so a long recording weighs more than a short one). Number the groups
// in the order they first appear in groups; each draw is group
// rng.IntN(number of groups), from the same generator as BootstrapAccuracy's.
// Clips of one recording are not independent, so resampling them one by one gives
// an interval that is too narrow.
func GroupedBootstrapAccuracy(correct []bool, groups []string, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	// TODO: resample groups with replacement; each replicate's accuracy pools the clips of its draws
	panic("not implemented: resample groups with replacement; each replicate's accuracy pools the clips of its draws")
}
