package main

import (
	"strings"
	"testing"
)

// TestParseSet reads -sets entries: a directory alone takes -per-class, a
// directory:N takes N, and a bad N or an empty directory is an error naming the entry.
func TestParseSet(t *testing.T) {
	cases := []struct {
		spec    string
		dir     string
		n       int
		wantErr string
	}{
		{"datasets/real-animals", "datasets/real-animals", 10, ""},
		{" datasets/real-animal-kinds:3", "datasets/real-animal-kinds", 3, ""},
		{"datasets/x:0", "", 0, `"datasets/x:0"`},
		{"datasets/x:three", "", 0, "not a positive integer"},
		{":3", "", 0, "empty set"},
	}
	for _, c := range cases {
		dir, n, err := parseSet(c.spec, 10)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: error %v, want one containing %q", c.spec, err, c.wantErr)
			}
			continue
		}
		if err != nil || dir != c.dir || n != c.n {
			t.Errorf("%q: (%q, %d, %v), want (%q, %d, nil)", c.spec, dir, n, err, c.dir, c.n)
		}
	}
}
