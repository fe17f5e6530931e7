package zoo_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// goldenClips are the clips of testdata/make_birds_v1_golden.go, made again
// here; their SHA-256 in the file checks that the two agree.
func goldenClips() (names []string, samples [][]float32) {
	const n, rate = 66150, 22050.0
	amp := func(dbfs float64) float64 { return math.Pow(10, dbfs/20) }
	r := rand.New(rand.NewPCG(7, 7))
	add := func(name string, g func(i int) float64) {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(g(i))
		}
		names, samples = append(names, name), append(samples, x)
	}
	add("upsweep 2-5 kHz at -6 dBFS over noise at -40 dBFS", func(i int) float64 {
		t := float64(i) / rate
		return amp(-6)*math.Sin(2*math.Pi*(2000*t+500*t*t)) + amp(-40)*r.NormFloat64()
	})
	add("white noise at -80 dBFS RMS", func(int) float64 { return amp(-80) * r.NormFloat64() })
	add("60 Hz hum at -81 dBFS RMS", func(i int) float64 { return math.Sqrt2 * amp(-81) * math.Sin(2*math.Pi*60*float64(i)/rate) })
	add("±1 LSB of 16 bits", func(int) float64 { return float64(r.IntN(3)-1) / 32768 })
	add("3 kHz tone at -40 dBFS for 1.5 s, then silence", func(i int) float64 {
		if i >= n/2 {
			return 0
		}
		return amp(-40) * math.Sin(2*math.Pi*3000*float64(i)/rate)
	})
	return names, samples
}

func float32SHA(values []float32) string {
	h := sha256.New()
	var b [4]byte
	for _, v := range values {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestBirdsV1Golden: birds-v1 was trained with the front end's old level rule
// (spectro.LevelPeak) and keeps it, whatever the default: its images and
// embeddings of loud, quiet and near-silent clips are bit for bit those the
// commit before the level rule gave (testdata/birds_v1_golden.json, written by
// testdata/make_birds_v1_golden.go at 129873b). Embeddings are compared bit for
// bit on the engine that wrote the file, within 1e-4 on another.
func TestBirdsV1Golden(t *testing.T) {
	data, err := os.ReadFile("testdata/birds_v1_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Commit, Engine string
		Clips          []struct {
			Name          string
			SamplesSHA256 string `json:"samples_sha256"`
			ImageSHA256   string `json:"image_sha256"`
			Embedding     []float32
		}
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	net := zoo.MustLoadCNN(zoo.BirdsV1)
	if fe := net.FrontEnd().Options; fe.Level != spectro.LevelPeak {
		t.Fatalf("birds-v1's front end has level rule %q, want %q (the rule it was trained with)", fe.Level, spectro.LevelPeak)
	}
	model := zoo.MustLoad(zoo.BirdsV1)
	if info := model.Info(); info.Spectrogram.Level != spectro.LevelPeak || !strings.Contains(info.Spectrogram.Scale, "clip's peak") {
		t.Errorf("Info().Spectrogram = %+v, want level %q described", info.Spectrogram, spectro.LevelPeak)
	}
	names, clips := goldenClips()
	if len(golden.Clips) != len(clips) {
		t.Fatalf("the file has %d clips, the test makes %d", len(golden.Clips), len(clips))
	}
	vectors, err := model.Embed(clips, 22050, zoo.EmbedOptions{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	exact := backend.Engine() == golden.Engine
	for i, g := range golden.Clips {
		if g.Name != names[i] || g.SamplesSHA256 != float32SHA(clips[i]) {
			t.Fatalf("clip %d (%s): not the clip the file was made from (%s): keep goldenClips and make_birds_v1_golden.go in step", i, names[i], g.Name)
		}
		image, err := net.FrontEnd().Image(clips[i])
		if err != nil {
			t.Fatal(err)
		}
		if got := float32SHA(image); got != g.ImageSHA256 {
			t.Errorf("%s: birds-v1's image changed (SHA-256 %s, was %s at %s)", g.Name, got, g.ImageSHA256, golden.Commit)
		}
		for j, want := range g.Embedding {
			got := vectors[i][j]
			if exact && got != want || math.Abs(float64(got-want)) > 1e-4*max(1, math.Abs(float64(want))) {
				t.Errorf("%s: embedding[%d] = %v, was %v at %s (engine %s, now %s)", g.Name, j, got, want, golden.Commit, golden.Engine, backend.Engine())
				break
			}
		}
	}
}

// TestEmbedSampleRate: a clip at another rate than the model's is resampled
// (the same sound at 44.1 kHz gives nearly the embedding it gives at 22.05
// kHz), not read as if it were at 22.05 kHz (what a model that is not told the
// rate does: twice as long, an octave lower); a rate ≤ 0 is an error.
func TestEmbedSampleRate(t *testing.T) {
	for _, load := range []struct {
		name  string
		model func() zoo.Model
	}{
		{"birds-v1", func() zoo.Model { return zoo.MustLoad(zoo.BirdsV1) }},
		{"onnx", func() zoo.Model { return loadTiny(t) }},
	} {
		t.Run(load.name, func(t *testing.T) {
			m := load.model()
			// 1.5 s of an upsweep from 2 to 5 kHz, at each rate.
			sweep := func(rate float64) []float32 {
				x := make([]float32, int(1.5*rate))
				for i := range x {
					s := float64(i) / rate
					x[i] = float32(0.3 * math.Sin(2*math.Pi*(2000*s+1000*s*s)))
				}
				return x
			}
			at22, err := m.Embed([][]float32{sweep(22050)}, 22050, zoo.EmbedOptions{BatchSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			at44, err := m.Embed([][]float32{sweep(44100)}, 44100, zoo.EmbedOptions{BatchSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			misread, err := m.Embed([][]float32{sweep(44100)}, 22050, zoo.EmbedOptions{BatchSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			resampled, wrong := distance(at22[0], at44[0]), distance(at22[0], misread[0])
			t.Logf("relative distance to the 22.05 kHz embedding: %.4f resampled from 44.1 kHz, %.4f read as 22.05 kHz", resampled, wrong)
			if resampled > 0.05 || wrong < 10*resampled {
				t.Errorf("relative distance to the 22.05 kHz embedding: %.4f resampled from 44.1 kHz (want ≤ 0.05), %.4f read as 22.05 kHz (want ≥ 10× more)", resampled, wrong)
			}
			for _, rate := range []int{0, -22050} {
				if _, err := m.Embed([][]float32{sweep(22050)}, rate, zoo.EmbedOptions{}); err == nil || !strings.Contains(err.Error(), "sample rate") {
					t.Errorf("rate %d: error %v, want one asking for the sample rate", rate, err)
				}
			}
		})
	}
}

// distance is |a−b| / |a|.
func distance(a, b []float32) float64 {
	var d, n float64
	for i := range a {
		d += float64(a[i]-b[i]) * float64(a[i]-b[i])
		n += float64(a[i]) * float64(a[i])
	}
	return math.Sqrt(d / n)
}
