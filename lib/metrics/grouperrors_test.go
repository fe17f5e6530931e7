package metrics

import (
	"strings"
	"testing"
)

func TestErrorsWithinGroups(t *testing.T) {
	// Classes 0 and 1 form family A, class 2 family B.
	families := []string{"A", "A", "B"}
	for _, c := range []struct {
		name                   string
		confusion              [][]int
		groups                 []string
		wantWithin, wantAcross int
		wantErr                string
	}{
		{"no errors", [][]int{{3, 0, 0}, {0, 2, 0}, {0, 0, 4}}, families, 0, 0, ""},
		// Off the diagonal: 0→1 (2, within A), 1→0 (1, within), 0→2 (4, across),
		// 2→1 (5, across), 1→2 (0).
		{"both kinds", [][]int{{9, 2, 4}, {1, 7, 0}, {0, 5, 6}}, families, 3, 9, ""},
		{"every class its own group", [][]int{{9, 2, 4}, {1, 7, 0}, {0, 5, 6}}, []string{"A", "B", "C"}, 0, 12, ""},
		{"one group", [][]int{{9, 2, 4}, {1, 7, 0}, {0, 5, 6}}, []string{"A", "A", "A"}, 12, 0, ""},
		{"groups of another length", [][]int{{1, 0}, {0, 1}}, families, 0, 0, "3 group names for a confusion matrix of 2 classes"},
		{"not square", [][]int{{1, 0, 0}, {0, 1}, {0, 0, 1}}, families, 0, 0, "row 1 has 2 columns, want 3"},
	} {
		within, across, err := ErrorsWithinGroups(c.confusion, c.groups)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case within != c.wantWithin || across != c.wantAcross:
			t.Errorf("%s: within %d, across %d; want %d and %d", c.name, within, across, c.wantWithin, c.wantAcross)
		}
	}
}
