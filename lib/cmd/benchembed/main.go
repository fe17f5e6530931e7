// Command benchembed measures embedding speed: clips per second through
// lib/embed with a zoo model on the default engine (lib/backend), next to
// PyTorch running the same architecture (bench_torch.py, /usr/bin/python3) on
// the same number of threads and the same batch size. It prints a table and the
// ratio Go / PyTorch (≥ 1 means Go is no slower).
//
//	go run ./lib/cmd/benchembed                 # the shipped model if registered, else the ONNX test model
//	go run ./lib/cmd/benchembed -model tinycnn -clips 512
//	go run ./lib/cmd/benchembed -onnx path/to/model.onnx
//
// The Go rows are: embed.Embed on 3-s clips (front end + network), the
// network alone on ready images (ONNX models and shipped lib/cnn models), and
// the front end alone.
// PyTorch times the network alone on random images, in inference mode. It needs
// a PyTorch twin of the model: bench_torch.py holds them by name (ARCHS).
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
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

type torchResult struct {
	ClipsPerS float64 `json:"clips_per_s"`
	Threads   int     `json:"threads"`
	Torch     string  `json:"torch"`
	Error     string  `json:"error"`
}

func main() {
	modelName := flag.String("model", "", `zoo model name; "" takes the shipped model (the first registered "birds-…"), else -onnx`)
	onnxPath := flag.String("onnx", filepath.Join("lib", "zoo", "testdata", "tinycnn.onnx"), "ONNX model used when no zoo model is named or registered")
	clips := flag.Int("clips", 256, "clips per timed run")
	batch := flag.Int("batch", 32, "clips per batch, on both sides")
	repeats := flag.Int("repeats", 3, "timed runs; the best is reported")
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "PyTorch threads (Go uses GOMAXPROCS)")
	python, script := benchkit.PeerFlags(flag.CommandLine, "benchembed", "bench_torch.py", "torch", "the PyTorch peer")
	flag.Parse()

	model, arch := loadModel(*modelName, *onnxPath)
	info := model.Info()

	// Synthetic clips: chirps over noise, seeded.
	rng := rand.New(rand.NewPCG(5, 7))
	n := int(math.Round(info.ClipSeconds * float64(info.SampleRateHz)))
	clipSet := make([]audio.Clip, *clips)
	for c := range clipSet {
		s := make([]float32, n)
		f0 := 1500 + 3000*rng.Float64()
		phase := 0.0
		for i := range s {
			t := float64(i) / float64(info.SampleRateHz)
			phase += 2 * math.Pi * (f0 + 800*math.Sin(2*math.Pi*3*t)) / float64(info.SampleRateHz)
			s[i] = float32(0.3*math.Sin(phase) + 0.05*rng.NormFloat64())
		}
		clipSet[c] = audio.Clip{File: "synth", StartSeconds: float64(c) * info.ClipSeconds, EndSeconds: float64(c+1) * info.ClipSeconds, SampleRateHz: info.SampleRateHz, Samples: s}
	}
	opts := embed.Options{EmbedOptions: zoo.EmbedOptions{BatchSize: *batch}}
	// Warm-up: compiles the graph.
	_, err := embed.Embed(model, clipSet[:min(*batch, len(clipSet))], opts)
	check(err)
	embedRate := best(*repeats, len(clipSet), func() {
		_, err := embed.Embed(model, clipSet, opts)
		check(err)
	})

	front, err := spectro.NewFrontEnd(spectro.FrontEndOptions{SampleRateHz: info.SampleRateHz, ClipSeconds: info.ClipSeconds,
		NFFT: info.Spectrogram.NFFT, Hop: info.Spectrogram.HopLength, NumMels: info.Spectrogram.NumMels,
		FMinHz: info.Spectrogram.FMinHz, FMaxHz: info.Spectrogram.FMaxHz, Level: info.Spectrogram.Level, FloorDBFS: info.Spectrogram.FloorDBFS})
	check(err)
	images := make([][]float32, len(clipSet))
	frontRate := best(*repeats, len(clipSet), func() {
		for i, c := range clipSet {
			images[i], err = front.Image(c.Samples)
			check(err)
		}
	})
	netRate := math.NaN()
	if om, ok := model.(*zoo.ONNXModel); ok && om.Input() == zoo.InputImage {
		netRate = best(*repeats, len(images), func() {
			_, err := om.EmbedImages(images, zoo.EmbedOptions{BatchSize: *batch})
			check(err)
		})
	} else if cm, err := zoo.LoadCNN(info.Name); err == nil {
		// A shipped lib/cnn model: its network alone on the same images.
		flat := make([]float32, 0, len(images)*len(images[0]))
		for _, im := range images {
			flat = append(flat, im...)
		}
		_, err := cm.EmbedImages(flat[:min(*batch, len(images))*len(images[0])], cnn.EmbedOptions{BatchSize: *batch}) // warm-up: compiles
		check(err)
		netRate = best(*repeats, len(images), func() {
			_, err := cm.EmbedImages(flat, cnn.EmbedOptions{BatchSize: *batch})
			check(err)
		})
	}

	var py torchResult
	cmd := exec.Command(*python, *script, arch, fmt.Sprint(*clips), fmt.Sprint(*batch), fmt.Sprint(*threads), fmt.Sprint(*repeats))
	cmd.Env = append(os.Environ(), fmt.Sprintf("OMP_NUM_THREADS=%d", *threads))
	check(benchkit.PeerJSON(cmd, &py))

	fmt.Printf("\nembedding %d clips of %g s at %d Hz with %s (%d-value embedding), batch %d, best of %d, %d CPUs, GOMAXPROCS %d\n\n",
		*clips, info.ClipSeconds, info.SampleRateHz, info.Name, info.EmbeddingSize, *batch, *repeats, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Printf("| pipeline | clips/s | ratio this/PyTorch network |\n|---|---|---|\n")
	ratio := func(r float64) string {
		if py.Error != "" || py.ClipsPerS == 0 || math.IsNaN(r) {
			return "–"
		}
		return fmt.Sprintf("%.2f", r/py.ClipsPerS)
	}
	row := func(name string, r float64) {
		if math.IsNaN(r) {
			fmt.Printf("| %s | – | – |\n", name)
			return
		}
		fmt.Printf("| %s | %.1f | %s |\n", name, r, ratio(r))
	}
	row("Go embed.Embed: front end + network", embedRate)
	row("Go network alone (EmbedImages of ONNXModel or cnn.Model)", netRate)
	row("Go front end alone (spectro.FrontEnd.Image)", frontRate)
	if py.Error != "" {
		fmt.Printf("| PyTorch network | – | %s |\n", py.Error)
		return
	}
	fmt.Printf("| PyTorch %s network, inference mode, %d threads | %.1f | 1.00 |\n", py.Torch, py.Threads, py.ClipsPerS)
}

// loadModel picks the model and the name of its PyTorch twin.
func loadModel(name, onnxPath string) (zoo.Model, string) {
	if name == "" {
		for _, e := range zoo.List() {
			if strings.HasPrefix(e.Name, "birds-") {
				name = e.Name
				break
			}
		}
	}
	if name != "" {
		m, err := zoo.Load(name)
		if err == nil || name != "tinycnn" {
			check(err)
			return m, name
		}
	}
	m, err := zoo.FromONNX(onnxPath, zoo.Info{}, zoo.ONNXOptions{})
	check(err)
	return m, m.Info().Name
}

// best runs f repeats times and returns the best rate, in items per second.
func best(repeats, items int, f func()) float64 {
	return float64(items) / benchkit.Fastest(repeats, f)
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchembed")
