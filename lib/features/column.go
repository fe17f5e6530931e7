package features

import (
	"fmt"
	"slices"
)

// Column returns the values of the feature called name (one of names, as Names or
// DescribeRows give them) from described, one row per clip, as float64: the measured
// quantity, in its unit, to correlate or regress on.
func Column(names []string, described [][]float32, name string) ([]float64, error) {
	j := slices.Index(names, name)
	if j < 0 {
		return nil, fmt.Errorf("features: no feature %q among %d", name, len(names))
	}
	column := make([]float64, len(described))
	for i, v := range described {
		if len(v) != len(names) {
			return nil, fmt.Errorf("features: row %d has %d values for %d names", i, len(v), len(names))
		}
		column[i] = float64(v[j])
	}
	return column, nil
}

// MustColumn is Column that panics on an error, for notebooks.
func MustColumn(names []string, described [][]float32, name string) []float64 {
	c, err := Column(names, described, name)
	if err != nil {
		panic(err)
	}
	return c
}
