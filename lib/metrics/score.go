package metrics

// Float64Rows returns rows of float32 values (a classifier's or a network's
// probabilities, as lib/classify and lib/cnn give them) as float64 rows, for
// code that keeps its scores in float64; this package's functions take either
// (Score). The values are converted exactly.
func Float64Rows(rows [][]float32) [][]float64 { return float64Rows(rows) }

// Score is the type of a score or a probability: float32, as lib/classify and
// lib/cnn give them, or float64. Every function of this package that takes
// scores takes either and computes in float64 (float32 values convert
// exactly), so scores go from a classifier to a metric as they are.
type Score interface{ ~float32 | ~float64 }

// float64s returns scores as float64 values: the slice itself when it is a
// []float64, else a converted copy.
func float64s[S Score](scores []S) []float64 {
	if f, ok := any(scores).([]float64); ok {
		return f
	}
	out := make([]float64, len(scores))
	for i, v := range scores {
		out[i] = float64(v)
	}
	return out
}

// float64Rows is float64s for rows of scores.
func float64Rows[S Score](scores [][]S) [][]float64 {
	if f, ok := any(scores).([][]float64); ok {
		return f
	}
	out := make([][]float64, len(scores))
	for i, row := range scores {
		out[i] = float64s(row)
	}
	return out
}
