package main

// The benchmark's embeddings and layouts go to Python and back as .npy, through lib/npy.

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/npy"
)

// readNPY reads a 2-D float array as rows of float64.
func readNPY(path string) ([][]float64, error) {
	a, err := npy.Read(path)
	if err != nil {
		return nil, err
	}
	rows, err := a.Rows64()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// writeNPY writes rows as a 2-D float32 (single) or float64 array, atomically.
func writeNPY(path string, rows [][]float64, single bool) error {
	if !single {
		return npy.WriteRows(path, rows)
	}
	rows32 := make([][]float32, len(rows))
	for i, r := range rows {
		rows32[i] = make([]float32, len(r))
		for j, v := range r {
			rows32[i][j] = float32(v)
		}
	}
	return npy.WriteRows(path, rows32)
}
