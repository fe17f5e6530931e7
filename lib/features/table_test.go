package features

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestDescriptionString checks the four lines against a description whose values are
// chosen so that each rounding can be done by hand.
func TestDescriptionString(t *testing.T) {
	d := &Description{
		F0:                  F0Summary{MedianHz: 6769.4, MinHz: 5367.6, MaxHz: 8077.2, VoicedFraction: 0.262},
		CallDurationSeconds: 1.346,
		PeakFrequencyHz:     6890.3,
		Band90:              Band{LowHz: 5794.2, HighHz: 7628.9},
		CentroidHz:          6748.6,
		MFCCMean:            []float64{-174.74, 44.92, 0.04},
	}
	want := "  F0: median 6769 Hz, range 5368–8077 Hz, voiced 26% of frames\n" +
		"  call duration 1.35 s, peak frequency 6890 Hz, centroid 6749 Hz\n" +
		"  90% of the energy in 5794–7629 Hz (bandwidth 1835 Hz)\n" +
		"  MFCC means: -174.7, 44.9, 0.0\n"
	if got := d.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	if strings.ContainsAny(d.String(), "[]") {
		t.Errorf("String() prints brackets, which mean a 95 %% interval in the course")
	}
}

func TestVoicedPoints(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		track F0Track
		want  [][]float64
	}{
		{"mixed", F0Track{TimesSeconds: []float64{0, 0.005, 0.01, 0.015}, F0Hz: []float64{nan, 2000, nan, 2100}},
			[][]float64{{0.005, 2000}, {0.015, 2100}}},
		{"all unvoiced", F0Track{TimesSeconds: []float64{0, 0.005}, F0Hz: []float64{nan, nan}}, nil},
		{"empty", F0Track{}, nil},
	} {
		if got := c.track.VoicedPoints(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: VoicedPoints() = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSelect(t *testing.T) {
	names := []string{"a_hz", "b_s", "c"}
	vectors := [][]float32{{1, 2, 3}, {4, 5, 6}}
	for _, c := range []struct {
		name    string
		keep    []string
		want    [][]float32
		wantErr string
	}{
		{"all", nil, vectors, ""},
		{"one", []string{"b_s"}, [][]float32{{2}, {5}}, ""},
		{"keep's order, not the table's", []string{"c", "a_hz"}, [][]float32{{3, 1}, {6, 4}}, ""},
		{"a name twice", []string{"c", "c"}, nil, `feature "c" asked for twice`},
		{"unknown", []string{"a_hz", "d"}, nil, `no feature "d" among a_hz, b_s, c`},
	} {
		got, err := Select(names, vectors, c.keep...)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case !reflect.DeepEqual(got, c.want):
			t.Errorf("%s: Select = %v, want %v", c.name, got, c.want)
		}
	}
	if _, err := Select(names, [][]float32{{1, 2}}, "a_hz"); err == nil || !strings.Contains(err.Error(), "row 0 has 2 values for 3 names") {
		t.Errorf("a short row: err = %v", err)
	}
}

func TestMedianByClass(t *testing.T) {
	table, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x,y,z\n"+
		"a.wav,0,1,1,0,0\nb.wav,0,1,0,1,0\nc.wav,0,1,1,0,0\nd.wav,0,1,0,1,0\ne.wav,0,1,1,0,0\n"), "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"f0_mean_hz", "call_duration_s"}
	// Class x holds rows 0, 2, 4 (odd count: the middle value), y rows 1, 3 (even: the
	// mean of the middle two), z none (NaN).
	vectors := [][]float32{{3000, 1}, {1000, 2}, {2000, 3}, {1500, 4}, {9000, 5}}
	for _, c := range []struct {
		feature string
		want    []float64
	}{
		{"f0_mean_hz", []float64{3000, 1250, math.NaN()}},
		{"call_duration_s", []float64{3, 3, math.NaN()}},
	} {
		got, err := MedianByClass(names, vectors, table, c.feature)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0] != c.want[0] || got[1] != c.want[1] || !math.IsNaN(got[2]) {
			t.Errorf("MedianByClass(%s) = %v, want %v", c.feature, got, c.want)
		}
	}
	if vectors[0][0] != 3000 || vectors[1][0] != 1000 {
		t.Errorf("MedianByClass reordered its input: %v", vectors)
	}
	if _, err := MedianByClass(names, vectors[:4], table, "f0_mean_hz"); err == nil || !strings.Contains(err.Error(), "4 feature vectors for a label table of 5 rows") {
		t.Errorf("too few vectors: err = %v", err)
	}
	if _, err := MedianByClass(names, vectors, table, "peak_hz"); err == nil || !strings.Contains(err.Error(), `"peak_hz"`) {
		t.Errorf("unknown feature: err = %v", err)
	}
}
