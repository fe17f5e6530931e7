package dataset

// ClassesOf returns the class index (Row.ClassOf) of each of the given rows (all when rows
// is nil), in order: -1 for a row with zero or several classes. It is what package metrics takes as the
// true classes of a single-label test set.
func (t *LabelTable) ClassesOf(rows []int) []int {
	if rows == nil {
		rows = make([]int, len(t.Rows))
		for i := range rows {
			rows[i] = i
		}
	}
	classes := make([]int, len(rows))
	for i, r := range rows {
		classes[i] = t.Rows[r].ClassOf()
	}
	return classes
}
