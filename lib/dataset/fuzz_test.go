package dataset

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParseLabelCSV: no input panics; a parsed table has 0/1 labels, ordered times,
// one label per class, canonical file names and no clip twice; every error wraps
// ErrFormat or names the file.
// Seed corpus: testdata/fuzz/FuzzParseLabelCSV.
func FuzzParseLabelCSV(f *testing.F) {
	f.Add([]byte("file,start_time,end_time,a,b\nx.wav,0,3,1,0\n"))
	f.Add([]byte("file,start_time,end_time,a\n\"q,uoted\",0.5,1.0,1.0\n"))
	f.Add([]byte("file,start_time,end_time,a,b\nx.wav,0,3,1,0\n./x.wav,0,3,0,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := ParseLabelCSV(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, ErrFormat) && !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error %q neither wraps ErrFormat nor names the file", err)
			}
			return
		}
		if err := tbl.CheckDuplicates(); err != nil {
			t.Fatalf("parsed table with a duplicate: %v", err)
		}
		for _, r := range tbl.Rows {
			if len(r.Labels) != len(tbl.Classes) || r.EndSeconds < r.StartSeconds || CanonicalFile(r.File) != r.File {
				t.Fatalf("bad row %+v", r)
			}
			for _, l := range r.Labels {
				if l > 1 {
					t.Fatalf("label %d", l)
				}
			}
		}
	})
}

// FuzzParseRaven: no input panics; selections have ordered, finite times;
// errors name the file.
// Seed corpus: testdata/fuzz/FuzzParseRaven.
func FuzzParseRaven(f *testing.F) {
	f.Add([]byte("Selection\tView\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\n1\tSpectrogram 1\t0.5\t1\t100\t200\tamro\n"))
	f.Add([]byte("Begin Time (s)\tEnd Time (s)\tSpecies\tSpecies\n0\t1\ta\tb\n"))
	f.Add([]byte("Begin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tSpecies\n0\t1\t100\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sel, err := ParseRaven(bytes.NewReader(data), "fuzz.txt", "Species")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.txt") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, s := range sel {
			if s.EndSeconds < s.BeginSeconds || s.Line < 2 {
				t.Fatalf("bad selection %+v", s)
			}
		}
	})
}
