package main

// The benchmark's matrices and label vectors go to Python and back as .npy, through
// lib/npy.

import (
	"github.com/dawnchorus/dawnchorus/lib/npy"
)

// writeMatrix writes rows as a float32 [rows, cols] array.
func writeMatrix(path string, rows [][]float32) error {
	return npy.WriteRows(path, rows)
}

// writeLabels writes class indices as an int64 vector.
func writeLabels(path string, labels []int) error {
	v := make([]int64, len(labels))
	for i, l := range labels {
		v[i] = int64(l)
	}
	return npy.WriteFile(path, v, len(v))
}

// readNPY reads an array of any dtype lib/npy reads as float64 values, flat in C order,
// with its shape.
func readNPY(path string) ([]float64, []int, error) {
	a, err := npy.Read(path)
	if err != nil {
		return nil, nil, err
	}
	values, err := a.Float64()
	return values, a.Shape, err
}
