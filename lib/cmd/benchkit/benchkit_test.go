package benchkit

import (
	"errors"
	"flag"
	"math"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/internal/benchdata"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{-1, math.Inf(1), 7, 7}, 7},
	} {
		in := append([]float64(nil), tc.xs...)
		if got := Median(tc.xs); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.xs[i] {
				t.Fatalf("Median reordered its input: %v, was %v", tc.xs, in)
			}
		}
	}
	if got := Median([]time.Duration{4 * time.Millisecond, time.Millisecond, 3 * time.Millisecond, 2 * time.Millisecond}); got != 2500*time.Microsecond {
		t.Errorf("Median of durations = %v, want 2.5ms", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Median of no values did not panic")
		}
	}()
	Median([]float64{})
}

func TestBestOf(t *testing.T) {
	seconds := []float64{0.5, 0.2, 0.9, 0.2}
	calls := 0
	best, which := BestOf(len(seconds), func() (float64, int) {
		calls++
		return seconds[calls-1], calls
	})
	if best != 0.2 || which != 2 || calls != 4 {
		t.Errorf("BestOf = %v from run %d after %d calls, want 0.2 from run 2 after 4", best, which, calls)
	}
	calls = 0
	if best, _ := BestOf(0, func() (float64, int) { calls++; return 1, 0 }); best != 1 || calls != 1 {
		t.Errorf("BestOf(0, …) = %v after %d calls, want one run", best, calls)
	}
	calls = 0
	if s := Fastest(3, func() { calls++ }); calls != 3 || s < 0 || math.IsInf(s, 0) {
		t.Errorf("Fastest ran %d times and gave %v s", calls, s)
	}
}

func TestPeerJSON(t *testing.T) {
	type figures struct {
		FitS float64 `json:"fit_s"`
	}
	for _, tc := range []struct {
		name    string
		script  string
		want    float64
		wantErr string // "" : no error
	}{
		{"prints JSON", `echo '{"fit_s": 1.5}'`, 1.5, ""},
		{"fails", `echo partial; echo oops >&2; exit 3`, 0, "running sh -c: exit status 3"},
		{"prints no JSON", `echo not json`, 0, "invalid character"},
	} {
		var got figures
		err := PeerJSON(exec.Command("sh", "-c", tc.script), &got)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.wantErr)
		case got.FitS != tc.want:
			t.Errorf("%s: decoded %+v, want fit_s %v", tc.name, got, tc.want)
		}
	}
	var exit *exec.ExitError
	if err := PeerJSON(exec.Command("sh", "-c", "exit 2"), new(figures)); !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("a failed peer: error %v, want it to wrap the exit status", err)
	}
}

// TestPeerFlags checks PeerFlags' defaults, -python's help and parsing, on a
// fresh FlagSet each run (so -count=2 does not redefine a flag).
func TestPeerFlags(t *testing.T) {
	fs := flag.NewFlagSet("benchsome", flag.ContinueOnError)
	python, script := PeerFlags(fs, "benchsome", "bench_peer.py", "numpy", "the numpy peer")
	if *python != "/usr/bin/python3" || *script != filepath.Join("lib", "cmd", "benchsome", "bench_peer.py") {
		t.Errorf("defaults: -python %q, -script %q", *python, *script)
	}
	if f := fs.Lookup("python"); f == nil || f.Usage != "interpreter with numpy" {
		t.Errorf("-python's help: %+v", f)
	}
	if err := fs.Parse([]string{"-python", "/opt/py", "-script", "x.py"}); err != nil {
		t.Fatal(err)
	}
	if *python != "/opt/py" || *script != "x.py" {
		t.Errorf("after parsing: -python %q, -script %q", *python, *script)
	}
}

// TestClusteredFlags: the flags parse into the data benchdata.Clustered draws with
// the same values (defaults and given), streams differ, and the data follow the seed.
func TestClusteredFlags(t *testing.T) {
	for _, tc := range []struct {
		args             []string
		clusters, latent int
		seed             uint64
	}{
		{nil, 100, 16, 1},
		{[]string{"-clusters", "7", "-latent", "3", "-seed", "9"}, 7, 3, 9},
	} {
		fs := flag.NewFlagSet("bench", flag.ContinueOnError)
		data := ClusteredFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if *data.Clusters != tc.clusters || *data.Latent != tc.latent || *data.Seed != tc.seed {
			t.Errorf("%v: clusters %d, latent %d, seed %d", tc.args, *data.Clusters, *data.Latent, *data.Seed)
		}
		got, ids := data.Vectors(20, 8, 1)
		want, wantIDs := benchdata.Clustered(20, 8, tc.clusters, tc.latent, tc.seed, 1)
		if !reflect.DeepEqual(got, want) || !slices.Equal(ids, wantIDs) {
			t.Errorf("%v: Vectors differ from benchdata.Clustered with the flags' values", tc.args)
		}
		if other, _ := data.Vectors(20, 8, 0); reflect.DeepEqual(other, got) {
			t.Errorf("%v: streams 0 and 1 give the same vectors", tc.args)
		}
	}
}

func TestInts(t *testing.T) {
	for _, tc := range []struct {
		list string
		want []int
		bad  string
	}{
		{"32,64,128", []int{32, 64, 128}, ""},
		{" 128 , 1536", []int{128, 1536}, ""},
		{"7", []int{7}, ""},
		{"32,x", nil, `"x"`},
		{"", nil, `""`},
	} {
		got, err := Ints(tc.list)
		if tc.bad != "" {
			if err == nil || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("Ints(%q): %v, want an error naming %s", tc.list, err, tc.bad)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Ints(%q) = %v, %v; want %v", tc.list, got, err, tc.want)
		}
	}
}
