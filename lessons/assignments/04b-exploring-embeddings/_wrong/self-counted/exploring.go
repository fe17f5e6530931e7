// Package exploring, wrong: PrecisionAtK counts each row among its own k nearest
// neighbours (it is its own nearest, and always of its own species).
//
// caught by: TestPrecisionAtK
package exploring

func PrecisionAtK(embeddings [][]float32, labels []int, k int) float64 {
	// BEGIN SOLUTION
	total := 0.0
	for i, row := range embeddings {
		same := 0
		for _, j := range NearestClips(embeddings, row, k) {
			if labels[j] == labels[i] {
				same++
			}
		}
		total += float64(same) / float64(k)
	}
	return total / float64(len(embeddings))
	// END SOLUTION
}
