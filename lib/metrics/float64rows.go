package metrics

// Float64Rows returns rows of float32 values (a classifier's or a network's
// probabilities, as lib/classify and lib/cnn give them) as the float64 rows this
// package's functions take. The values are converted exactly.
func Float64Rows(rows [][]float32) [][]float64 {
	out := make([][]float64, len(rows))
	for i, row := range rows {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j] = float64(v)
		}
	}
	return out
}
