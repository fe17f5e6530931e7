package dataset

import "fmt"

// A row's labels are stored as the table reads them, one 0/1 int per class
// (Row.Labels). Everything that learns from or is scored against labels takes
// them as one type, Labels, made here, so that the labels of a table reach
// classify's classifiers and cnn's networks as the same value:
//
//	Labels.Index  one class index per example, in [0, NumClasses): single-label
//	              data (a softmax output); what metrics' single-label
//	              functions and lib/active take as true classes
//	Labels.Hot    one 0/1 row of NumClasses per example, 1 for each class
//	              present: multi-label data (independent sigmoid outputs);
//	              what metrics' multi-label functions take (a table's Row.Labels
//	              are such rows as they are)
//
// Row.ClassOf and LabelTable.ClassesOf give the single class of rows (-1 when
// a row has zero or several); Row.WithClasses keeps a row to some classes.
// (lib/metrics imports nothing, so it takes Index and Hot as plain []int and
// [][]int, and metrics.OneHot turns class indices into its 0/1 matrix.)

// Labels are the targets of a classifier or network, one entry per example,
// in one of two encodings: Index, one class index per example (single-label),
// or Hot, a 0/1 row per example (multi-label). Exactly one of the two is set.
// One type carries both, so that a table's labels (FromTable) go unchanged to
// classify's Fit and to cnn.NewDataset, and Index and Hot are, as they are, the
// true labels package metrics takes. Build them with SingleLabel, MultiLabel or
// FromTable.
type Labels struct {
	// NumClasses is the number of classes.
	NumClasses int
	// Index holds the class of each example (single-label); nil for multi-label.
	Index []int
	// Hot holds, for each example, 1 for each class present and 0 for each
	// absent (multi-label); nil for single-label.
	Hot [][]int
}

// SingleLabel returns single-label Labels: index[i] is the class of example i,
// in [0, numClasses). The slice is shared, not copied.
func SingleLabel(index []int, numClasses int) Labels {
	return Labels{NumClasses: numClasses, Index: index}
}

// MultiLabel returns multi-label Labels: hot[i][c] is 1 when example i has
// class c, else 0. The number of classes is the length of the rows. The rows
// are shared, not copied.
func MultiLabel(hot [][]int) Labels {
	n := 0
	if len(hot) > 0 {
		n = len(hot[0])
	}
	return Labels{NumClasses: n, Hot: hot}
}

// FromTable returns the labels of rows (all when nil) of a label table, in
// the encoding kind asks for: ClassIndex (every row must have exactly one
// class; an error names the first that has not) or MultiHot. Multi-hot rows are
// the table's Row.Labels, shared, not copied. NumClasses is the table's number
// of classes.
func FromTable(t *LabelTable, rows []int, kind LabelKind) (Labels, error) {
	if rows == nil {
		rows = t.AllRows()
	}
	k := len(t.Classes)
	switch kind {
	case ClassIndex:
		index := make([]int, len(rows))
		for i, r := range rows {
			if r < 0 || r >= len(t.Rows) {
				return Labels{}, fmt.Errorf("dataset: row %d out of the label table's %d rows", r, len(t.Rows))
			}
			c := t.Rows[r].ClassOf()
			if c < 0 {
				return Labels{}, fmt.Errorf("dataset: row %d (%s at %gs) has not exactly one class: use dataset.MultiHot", r, t.Rows[r].File, t.Rows[r].StartSeconds)
			}
			index[i] = c
		}
		return SingleLabel(index, k), nil
	case MultiHot:
		hot := make([][]int, len(rows))
		for i, r := range rows {
			if r < 0 || r >= len(t.Rows) {
				return Labels{}, fmt.Errorf("dataset: row %d out of the label table's %d rows", r, len(t.Rows))
			}
			hot[i] = t.Rows[r].Labels
		}
		return Labels{NumClasses: k, Hot: hot}, nil
	}
	return Labels{}, fmt.Errorf("dataset: unknown label kind %d", kind)
}

// IsMulti reports whether the labels are multi-hot.
func (l Labels) IsMulti() bool { return l.Hot != nil }

// Len is the number of examples.
func (l Labels) Len() int {
	if l.Hot != nil {
		return len(l.Hot)
	}
	return len(l.Index)
}

// Has reports whether example i has class c.
func (l Labels) Has(i, c int) bool {
	if l.Hot != nil {
		return l.Hot[i][c] == 1
	}
	return l.Index[i] == c
}

// Subset returns the labels of the given examples, in order.
func (l Labels) Subset(rows []int) Labels {
	out := Labels{NumClasses: l.NumClasses}
	if l.Hot != nil {
		out.Hot = make([][]int, len(rows))
		for i, r := range rows {
			out.Hot[i] = l.Hot[r]
		}
		return out
	}
	out.Index = make([]int, len(rows))
	for i, r := range rows {
		out.Index[i] = l.Index[r]
	}
	return out
}

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
