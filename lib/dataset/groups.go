package dataset

import "fmt"

// RowGroups returns the group of each of rows (every row when nil) of t, looked up by the
// row's file in groupOfFile (a map keyed by file as the label table spells it, or by its
// CanonicalFile form): the groups a grouped bootstrap (lib/metrics' BootstrapConfig.Groups)
// redraws, e.g. the bird singing in each recording from synth.BirdsByFile. A row whose
// file has no group, a file two keys give different groups, or a row index outside t, is
// an error naming it.
func RowGroups(t *LabelTable, rows []int, groupOfFile map[string]string) ([]string, error) {
	if rows == nil {
		rows = t.AllRows()
	}
	canonical := make(map[string]string, len(groupOfFile))
	for file, group := range groupOfFile {
		c := CanonicalFile(file)
		if other, ok := canonical[c]; ok && other != group {
			return nil, fmt.Errorf("dataset: file %s has two groups, %s and %s (two keys of the map name it)", c, other, group)
		}
		canonical[c] = group
	}
	groups := make([]string, len(rows))
	for i, r := range rows {
		if r < 0 || r >= len(t.Rows) {
			return nil, fmt.Errorf("dataset: row %d outside the table's %d rows", r, len(t.Rows))
		}
		file := t.Rows[r].File
		group, ok := groupOfFile[file]
		if !ok {
			group, ok = canonical[CanonicalFile(file)]
		}
		if !ok {
			return nil, fmt.Errorf("dataset: row %d's file %s has no group (%d files have one)", r, file, len(groupOfFile))
		}
		groups[i] = group
	}
	return groups, nil
}

// MustRowGroups is [RowGroups] for notebooks: it panics on an error.
func MustRowGroups(t *LabelTable, rows []int, groupOfFile map[string]string) []string {
	groups, err := RowGroups(t, rows, groupOfFile)
	if err != nil {
		panic(err)
	}
	return groups
}
