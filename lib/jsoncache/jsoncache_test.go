package jsoncache

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

type scores struct {
	Validation, Test [][]float64
}

func TestLoad(t *testing.T) {
	want := scores{Validation: [][]float64{{0.25, 0.75}}, Test: [][]float64{{1, 0}, {0.5, 0.5}}}
	tests := []struct {
		name         string
		before       string // file content before the call; "-" for no file
		computeErr   error
		wantComputed bool
		wantErr      bool
		wantFile     bool
	}{
		{"missing: computed and stored", "-", nil, true, false, true},
		{"stored: read back, not computed", `{"Validation":[[0.25,0.75]],"Test":[[1,0],[0.5,0.5]]}`, nil, false, false, true},
		{"garbled: computed again and replaced", `{"Validation":[[0.25`, nil, true, false, true},
		{"wrong type: computed again", `{"Test":"not a matrix"}`, nil, true, false, true},
		{"failed computation stores nothing", "-", errors.New("no data"), true, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "scores.json")
			if tc.before != "-" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tc.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			computed := 0
			got, err := Load(path, func() (scores, error) { computed++; return want, tc.computeErr })
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error: %v", err, tc.wantErr)
			}
			if (computed == 1) != tc.wantComputed || computed > 1 {
				t.Errorf("computed %d times, want computed: %v", computed, tc.wantComputed)
			}
			if !tc.wantErr && !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if _, err := os.Stat(path); (err == nil) != tc.wantFile {
				t.Errorf("file exists: %v, want %v", err == nil, tc.wantFile)
			}
			if tc.wantFile { // a second call reads the file back without computing
				again, err := Load(path, func() (scores, error) { t.Error("computed again"); return scores{}, nil })
				if err != nil || !reflect.DeepEqual(again, want) {
					t.Errorf("second call: %+v, %v; want %+v", again, err, want)
				}
			}
		})
	}
}

func TestLoadUnreadableIsAnError(t *testing.T) {
	dir := t.TempDir() // a folder where the file should be: reading it fails
	if _, err := Load(dir, func() (int, error) { return 1, nil }); err == nil {
		t.Error("reading a folder as the cache file: no error")
	}
}

func TestMustLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.json")
	if got := MustLoad(path, func() int { return 42 }); got != 42 {
		t.Errorf("got %d, want 42", got)
	}
	if got := MustLoad(path, func() int { return 7 }); got != 42 {
		t.Errorf("second call got %d, want the stored 42", got)
	}
}
