package dataset

import (
	"reflect"
	"strings"
	"testing"
)

func TestRowGroups(t *testing.T) {
	table, err := ParseLabelCSV(strings.NewReader("file,start_time,end_time,x,y\n"+
		"audio/a.wav,0,1,1,0\naudio/b.wav,0,1,0,1\n./audio/c.wav,0,1,1,0\n"), "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	birds := map[string]string{"audio/a.wav": "x_i0", "./audio/b.wav": "y_i1", "audio/c.wav": "x_i0"}
	for _, c := range []struct {
		name    string
		rows    []int
		groups  map[string]string
		want    []string
		wantErr string
	}{
		{"every row, a map key in another spelling", nil, birds, []string{"x_i0", "y_i1", "x_i0"}, ""},
		{"some rows, in their order", []int{2, 1}, birds, []string{"x_i0", "y_i1"}, ""},
		{"no rows", []int{}, birds, []string{}, ""},
		{"a file without a group", []int{0, 1}, map[string]string{"audio/a.wav": "x_i0"}, nil,
			"row 1's file audio/b.wav has no group (1 files have one)"},
		{"a row outside the table", []int{3}, birds, nil, "row 3 outside the table's 3 rows"},
		{"one file, two groups", nil, map[string]string{"audio/a.wav": "x_i0", "./audio/a.wav": "x_i9",
			"audio/b.wav": "y_i1", "audio/c.wav": "x_i0"}, nil, "has two groups"},
	} {
		got, err := RowGroups(table, c.rows, c.groups)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case !reflect.DeepEqual(got, c.want):
			t.Errorf("%s: RowGroups = %q, want %q", c.name, got, c.want)
		}
	}
}
