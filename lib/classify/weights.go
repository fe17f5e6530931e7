package classify

// Weights returns the fitted linear model: w[j][c] is the weight of feature j
// for output column c, and intercepts[c] the bias of column c, so that column
// c's logit is Σⱼ zⱼ·w[j][c] + intercepts[c], where zⱼ is feature j
// standardized with the training mean and standard deviation (features of
// different units become comparable: a weight is the logit change per standard
// deviation). Columns are the classes (softmax for single labels, one sigmoid
// each for multi-hot labels), except a binary single-label fit, which has one
// sigmoid column for the second class. Both are nil before Fit; they are
// copies.
//
// These are the lecture's class-specific weights: every class reads the same
// features, and only its own column of w (and its intercept) belongs to it.
func (l *LogisticRegression) Weights() (w [][]float64, intercepts []float64) {
	if l.m == nil {
		return nil, nil
	}
	cols := l.m.Cols
	d := len(l.m.W) / cols
	w = make([][]float64, d)
	for j := range w {
		w[j] = append([]float64(nil), l.m.W[j*cols:(j+1)*cols]...)
	}
	return w, append([]float64(nil), l.m.B...)
}
