package fewshot

import "github.com/dawnchorus/dawnchorus/lib/dataset"

// AllRows returns 0, 1, …, len(labels.Rows)−1: every row of a table.
func AllRows(labels *dataset.LabelTable) []int {
	rows := make([]int, len(labels.Rows))
	for i := range rows {
		rows[i] = i
	}
	return rows
}
