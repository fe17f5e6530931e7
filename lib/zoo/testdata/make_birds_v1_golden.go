//go:build ignore

// make_birds_v1_golden.go records what the shipped birds-v1 network makes of a
// few clips — loud, quiet and near-silent — so that TestBirdsV1Golden can check
// that birds-v1 keeps the front end it was trained with (spectro.LevelPeak):
// its images and embeddings must stay bit-identical whatever the front end's
// default becomes.
//
// Run from the repository root:
//
//	go run lib/zoo/testdata/make_birds_v1_golden.go > lib/zoo/testdata/birds_v1_golden.json
//
// It uses only APIs that predate the level rule (zoo.LoadCNN, cnn.Model.Images
// and EmbedImages), so it ran unchanged on the commit before it (129873b), which
// wrote the committed file. TestBirdsV1Golden regenerates the clips with its own
// code and checks their SHA-256 against the file's, so the two stay in step.
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

type golden struct {
	Commit string `json:"commit"`
	Engine string `json:"engine"`
	Clips  []clip `json:"clips"`
}

type clip struct {
	Name          string    `json:"name"`
	SamplesSHA256 string    `json:"samples_sha256"`
	ImageSHA256   string    `json:"image_sha256"`
	Embedding     []float32 `json:"embedding"`
}

// clips are 3 s at 22050 Hz; amplitudes from dBFS levels.
func clips() (names []string, samples [][]float32) {
	const n, rate = 66150, 22050.0
	amp := func(dbfs float64) float64 { return math.Pow(10, dbfs/20) }
	r := rand.New(rand.NewPCG(7, 7))
	make1 := func(name string, g func(i int) float64) {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(g(i))
		}
		names, samples = append(names, name), append(samples, x)
	}
	make1("upsweep 2-5 kHz at -6 dBFS over noise at -40 dBFS", func(i int) float64 {
		t := float64(i) / rate
		phase := 2 * math.Pi * (2000*t + 500*t*t) // 2 kHz + 1 kHz/s
		return amp(-6)*math.Sin(phase) + amp(-40)*r.NormFloat64()
	})
	make1("white noise at -80 dBFS RMS", func(int) float64 { return amp(-80) * r.NormFloat64() })
	make1("60 Hz hum at -81 dBFS RMS", func(i int) float64 {
		return math.Sqrt2 * amp(-81) * math.Sin(2*math.Pi*60*float64(i)/rate)
	})
	make1("±1 LSB of 16 bits", func(int) float64 { return float64(r.IntN(3)-1) / 32768 })
	make1("3 kHz tone at -40 dBFS for 1.5 s, then silence", func(i int) float64 {
		if i >= n/2 {
			return 0
		}
		return amp(-40) * math.Sin(2*math.Pi*3000*float64(i)/rate)
	})
	return names, samples
}

func sha(values []float32) string {
	h := sha256.New()
	var b [4]byte
	for _, v := range values {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func main() {
	net, err := zoo.LoadCNN(zoo.BirdsV1)
	if err != nil {
		panic(err)
	}
	names, samples := clips()
	images, err := net.Images(samples)
	if err != nil {
		panic(err)
	}
	vectors, err := net.EmbedImages(images, cnn.EmbedOptions{BatchSize: 4})
	if err != nil {
		panic(err)
	}
	commit, _ := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	out := golden{Commit: strings.TrimSpace(string(commit)), Engine: backend.Engine()}
	size := len(images) / len(samples)
	for i, name := range names {
		out.Clips = append(out.Clips, clip{Name: name, SamplesSHA256: sha(samples[i]),
			ImageSHA256: sha(images[i*size : (i+1)*size]), Embedding: vectors[i]})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
