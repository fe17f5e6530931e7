package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/synth"
)

// binary is the dawnchorus command built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dawnchorus-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "dawnchorus")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building dawnchorus:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// dc runs the command in dir.
func dc(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return dcIn(t, dir, "", args...)
}

// dcIn runs the command in dir with stdin as its standard input.
func dcIn(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+fmt.Sprint(runtime.GOMAXPROCS(0)))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running dawnchorus %v: %v", args, err)
	}
	return r
}

// want fails the test unless the run exited with code.
func (r result) want(t *testing.T, code int, what string) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, code, r.stdout, r.stderr)
	}
	return r
}

// The generated recordings: two species of different families of a seeded
// catalogue, each recording with one singer, its songs boxed in a Raven table
// (annotation column "Annotation", the species' code).
const rateHz = 22050

var catalogue = func() *synth.Catalogue {
	c, err := synth.NewCatalogue(11, 2, 2)
	if err != nil {
		panic(err)
	}
	return c
}()

// speciesOf is the singer of recording i: species 0 or 2 (other families).
func speciesOf(i int) int { return 2 * (i % 2) }

// writeRecording writes a recording of seconds with species' songs to path,
// and its Raven table next to it when table is true.
func writeRecording(t *testing.T, path string, seed uint64, species int, seconds float64, table bool) *synth.Recording {
	t.Helper()
	rec, err := catalogue.Record(seed, synth.RecordingOptions{DurationSeconds: seconds, SampleRateHz: rateHz,
		Foreground: []synth.Voice{{Species: species, Individual: int(seed % 3)}}, SNRdB: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteWAV(path, [][]float32{rec.Samples}, rateHz, audio.WAV16); err != nil {
		t.Fatal(err)
	}
	if table {
		var b strings.Builder
		b.WriteString("Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tAnnotation\n")
		for i, ev := range rec.Events {
			fmt.Fprintf(&b, "%d\tSpectrogram 1\t1\t%.4f\t%.4f\t%.1f\t%.1f\t%s\n", i+1, ev.StartSeconds, ev.EndSeconds, ev.LowHz, ev.HighHz,
				catalogue.Species[ev.Voice.Species].Code)
		}
		tablePath := strings.TrimSuffix(path, ".wav") + ".Table.1.selections.txt"
		if err := os.WriteFile(tablePath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

// writeArchive writes n recordings of seconds each under dir/site{A,B}/,
// seeds from seed, and returns their paths relative to dir and their species.
func writeArchive(t *testing.T, dir, sub string, n int, seed uint64, seconds float64, tables bool) (paths []string, species []int, recs []*synth.Recording) {
	t.Helper()
	for i := range n {
		site := "siteA"
		if i%3 == 2 {
			site = "siteB"
		}
		rel := filepath.Join(sub, site, fmt.Sprintf("rec%02d.wav", i))
		rec := writeRecording(t, filepath.Join(dir, rel), seed+uint64(i), speciesOf(i), seconds, tables)
		paths, species, recs = append(paths, rel), append(species, speciesOf(i)), append(recs, rec)
	}
	return paths, species, recs
}

// writeCorrupt writes a file named like audio that is not.
func writeCorrupt(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("RIFF\x24\x00\x00\x00WAVEjunkjunkjunk this is not audio"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// skipShort skips an end-to-end test that runs the model under -short (make
// test's race-detector pass: these tests' work happens in the command's
// process, which the race detector does not watch; the full pass runs them).
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the model in a subprocess; run without -short")
	}
}
