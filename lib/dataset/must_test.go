package dataset

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// panicOf runs fn and returns what it panicked with, as text ("" when it did not).
func panicOf(fn func()) (message string) {
	defer func() {
		if r := recover(); r != nil {
			message = strings.TrimSpace(strings.ReplaceAll(toString(r), "\n", " "))
			if message == "" {
				message = "(empty panic)"
			}
		}
	}()
	fn()
	return ""
}

func toString(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "non-error panic"
}

func TestMustReadLabelCSV(t *testing.T) {
	path := filepath.Join("testdata", "labels_multi.csv")
	want, err := ReadLabelCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := MustReadLabelCSV(path); !reflect.DeepEqual(got, want) {
		t.Errorf("MustReadLabelCSV(%s) differs from ReadLabelCSV's table", path)
	}
	missing := filepath.Join(t.TempDir(), "none.csv")
	if msg := panicOf(func() { MustReadLabelCSV(missing) }); !strings.Contains(msg, "none.csv") {
		t.Errorf("MustReadLabelCSV(missing file) panicked with %q, want an error naming the file", msg)
	}
}

func TestMustStratifiedGroupSplit(t *testing.T) {
	table, err := ParseLabelCSV(strings.NewReader(
		"file,start_time,end_time,a,b\n"+
			"r0.wav,0,3,1,0\nr1.wav,0,3,1,0\nr2.wav,0,3,1,0\nr3.wav,0,3,1,0\n"+
			"r4.wav,0,3,0,1\nr5.wav,0,3,0,1\nr6.wav,0,3,0,1\nr7.wav,0,3,0,1\n"), "labels.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		options   SplitOptions
		wantPanic bool
	}{
		{"halves", SplitOptions{Train: 0.5, Validation: 0.25, Test: 0.25, Seed: 1}, false},
		{"another seed", SplitOptions{Train: 0.5, Validation: 0.25, Test: 0.25, Seed: 7}, false},
		{"fractions over one", SplitOptions{Train: 0.9, Validation: 0.5, Test: 0.5, Seed: 1}, true},
	} {
		want, wantErr := StratifiedGroupSplit(table, tc.options)
		if (wantErr != nil) != tc.wantPanic {
			t.Fatalf("%s: StratifiedGroupSplit error %v, the test expects panic=%v", tc.name, wantErr, tc.wantPanic)
		}
		var got Split
		msg := panicOf(func() { got = MustStratifiedGroupSplit(table, tc.options) })
		switch {
		case tc.wantPanic && msg != wantErr.Error():
			t.Errorf("%s: panicked with %q, want %q", tc.name, msg, wantErr)
		case !tc.wantPanic && msg != "":
			t.Errorf("%s: panicked with %q", tc.name, msg)
		case !tc.wantPanic && !reflect.DeepEqual(got, want):
			t.Errorf("%s: split %+v, want StratifiedGroupSplit's %+v", tc.name, got, want)
		}
	}
}
