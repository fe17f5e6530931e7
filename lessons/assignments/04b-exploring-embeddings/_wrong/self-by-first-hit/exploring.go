// Package exploring, wrong: PrecisionAtK leaves out each row's first hit, assuming it
// is the row itself — not so when another row is the same vector and ranks first.
//
// caught by: TestPrecisionAtK
package exploring

func PrecisionAtK(embeddings [][]float32, labels []int, k int) float64 {
	// BEGIN SOLUTION
	total := 0.0
	for i, row := range embeddings {
		same := 0
		for _, j := range NearestClips(embeddings, row, k+1)[1:] {
			if labels[j] == labels[i] {
				same++
			}
		}
		total += float64(same) / float64(k)
	}
	return total / float64(len(embeddings))
	// END SOLUTION
}
