// Command benchspectro measures the course's audio front end against its Python
// peer: decoding one hour of 16-bit WAV and computing its mel power spectrogram,
// in Go (lib/audio + lib/spectro) and in scipy.signal + a numpy mel projection
// (bench_scipy.py, run with /usr/bin/python3). It prints a table of the best of
// -repeats runs and the ratio scipy time / Go time (≥ 1 means Go is no slower).
//
//	go run ./lib/cmd/benchspectro            # one hour, as the issue asks
//	go run ./lib/cmd/benchspectro -seconds 600
//
// Needs Debian's python3-scipy and python3-numpy for the peer.
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

type timings struct {
	DecodeS float64 `json:"decode_s"`
	MelS    float64 `json:"mel_s"`
	TotalS  float64 `json:"total_s"`
	Frames  int     `json:"frames"`
}

func main() {
	seconds := flag.Float64("seconds", 3600, "length of the test recording in seconds")
	rate := flag.Int("rate", 22050, "sample rate in Hz")
	nfft := flag.Int("nfft", 1024, "FFT size in samples")
	hop := flag.Int("hop", 256, "hop in samples")
	mels := flag.Int("mels", 128, "mel bands")
	repeats := flag.Int("repeats", 3, "runs of each pipeline; the best is reported")
	python, script := benchkit.PeerFlags(flag.CommandLine, "benchspectro", "bench_scipy.py", "scipy and numpy", "the scipy peer")
	flag.Parse()

	dir, err := os.MkdirTemp("", "benchspectro")
	check(err)
	defer os.RemoveAll(dir)
	wav := filepath.Join(dir, "hour.wav")
	check(writeTestRecording(wav, *seconds, *rate))

	fb, err := spectro.NewMelFilterbank(*nfft, *rate, spectro.MelOptions{NumMels: *mels, SlaneyNorm: true})
	check(err)
	opts := spectro.Options{NFFT: *nfft, Hop: *hop}
	goAll := runGo(wav, opts, fb, *repeats)
	prev := runtime.GOMAXPROCS(1)
	goOne := runGo(wav, opts, fb, *repeats)
	runtime.GOMAXPROCS(prev)

	var py timings
	check(benchkit.PeerJSON(exec.Command(*python, *script, wav, fmt.Sprint(*nfft), fmt.Sprint(*hop), fmt.Sprint(*mels), fmt.Sprint(*repeats)), &py))
	if py.Frames != goAll.Frames {
		check(fmt.Errorf("scipy made %d frames, Go %d", py.Frames, goAll.Frames))
	}

	fmt.Printf("decode + mel power spectrogram of %.0f s of 16-bit mono WAV at %d Hz (NFFT %d, hop %d, %d Slaney mel bands, %d frames); best of %d, %d CPUs\n\n",
		*seconds, *rate, *nfft, *hop, *mels, goAll.Frames, *repeats, runtime.NumCPU())
	fmt.Printf("| pipeline | decode (s) | STFT + mel (s) | total (s) | ratio scipy/this |\n|---|---|---|---|---|\n")
	row := func(name string, t timings) {
		fmt.Printf("| %s | %.3f | %.3f | %.3f | %.2f |\n", name, t.DecodeS, t.MelS, t.TotalS, py.TotalS/t.TotalS)
	}
	row(fmt.Sprintf("Go, lib/audio + lib/spectro (%d cores)", prev), goAll)
	row("Go, lib/audio + lib/spectro (1 core)", goOne)
	row("scipy.signal.stft + numpy mel (/usr/bin/python3)", py)
}

func runGo(wav string, opts spectro.Options, fb *spectro.Filterbank, repeats int) timings {
	best := timings{DecodeS: math.Inf(1), MelS: math.Inf(1), TotalS: math.Inf(1)}
	for r := 0; r < repeats; r++ {
		runtime.GC()
		debug.FreeOSMemory()
		t0 := time.Now()
		a, err := audio.Load(wav)
		check(err)
		t1 := time.Now()
		mel, err := spectro.MelSpectrogram(a.Channels[0], a.SampleRateHz, opts, fb)
		check(err)
		t2 := time.Now()
		best.DecodeS = math.Min(best.DecodeS, t1.Sub(t0).Seconds())
		best.MelS = math.Min(best.MelS, t2.Sub(t1).Seconds())
		best.TotalS = math.Min(best.TotalS, t2.Sub(t0).Seconds())
		best.Frames = mel.NumFrames
	}
	return best
}

// writeTestRecording writes a deterministic recording: chirps over pink-ish noise.
func writeTestRecording(path string, seconds float64, rate int) error {
	n := int(seconds * float64(rate))
	x := make([]float32, n)
	rng := rand.New(rand.NewPCG(1, 2))
	var b float64
	phase := 0.0
	for i := range x {
		t := float64(i) / float64(rate)
		b = 0.98*b + 0.02*rng.NormFloat64()
		f := 2000 + 1500*math.Sin(2*math.Pi*0.5*t)
		phase += 2 * math.Pi * f / float64(rate)
		x[i] = float32(0.3*math.Sin(phase) + 0.5*b + 0.01*rng.NormFloat64())
	}
	return audio.WriteWAV(path, [][]float32{x}, rate, audio.WAV16)
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchspectro")
