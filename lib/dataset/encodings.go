package dataset

// A row's labels are stored as the table reads them, one 0/1 int per class
// (Row.Labels): as they are, they are a multi-hot row of classify.MultiLabel
// and of the 0/1 label matrices of metrics' multi-label functions. The other
// forms packages take are converted here, and only here:
//
//	Row.ClassOf, LabelTable.ClassesOf  the single class index: classify.SingleLabel,
//	                                   lib/active, metrics' single-label functions
//	Row.ClassIndices, ClassLists       the indices of the classes present: cnn.Dataset.Labels
//	Row.WithClasses                    the row of a table kept to some of its classes
//
// (metrics.OneHot turns class indices into metrics' 0/1 matrix; lib/metrics
// imports nothing, so it keeps its own.)

// ClassesOf returns the class index (Row.ClassOf) of each of the given rows (all when rows
// is nil), in order: -1 for a row with zero or several classes. It is what package metrics takes as the
// true classes of a single-label test set.
func (t *LabelTable) ClassesOf(rows []int) []int {
	if rows == nil {
		rows = t.AllRows()
	}
	classes := make([]int, len(rows))
	for i, r := range rows {
		classes[i] = t.Rows[r].ClassOf()
	}
	return classes
}

// ClassIndices returns the indices of the row's classes, in increasing order
// (none for a row without a class): the labels of an example of cnn.Dataset.
func (r Row) ClassIndices() []int {
	var classes []int
	for c, l := range r.Labels {
		if l == 1 {
			classes = append(classes, c)
		}
	}
	return classes
}

// WithClasses returns a copy of the row whose labels are the row's labels of
// the given class indices, in that order (its other fields unchanged): the
// row of a table kept to those classes. The row's own labels are not changed.
func (r Row) WithClasses(classes []int) Row {
	labels := make([]int, len(classes))
	for k, c := range classes {
		labels[k] = r.Labels[c]
	}
	r.Labels = labels
	return r
}

// ClassLists returns each class index as a list of one, in order: the labels
// of a single-label cnn.Dataset.
func ClassLists(classes []int) [][]int {
	lists := make([][]int, len(classes))
	for i, c := range classes {
		lists[i] = []int{c}
	}
	return lists
}
