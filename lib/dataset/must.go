package dataset

// MustReadLabelCSV is [ReadLabelCSV] for notebooks: it panics on error.
func MustReadLabelCSV(path string) *LabelTable {
	t, err := ReadLabelCSV(path)
	if err != nil {
		panic(err)
	}
	return t
}

// MustStratifiedGroupSplit is [StratifiedGroupSplit] for notebooks: it panics on error.
func MustStratifiedGroupSplit(t *LabelTable, o SplitOptions) Split {
	s, err := StratifiedGroupSplit(t, o)
	if err != nil {
		panic(err)
	}
	return s
}
