// Command benchreduce measures lib/reduce against its Python peers on the same
// embeddings: PCA against scikit-learn's PCA, t-SNE against scikit-learn's TSNE
// (Barnes-Hut) and UMAP against umap-learn. Every run is a fresh process that loads the
// embeddings from a .npy file, fits, and saves the 2-D layout, as a user runs it; the
// table gives that end-to-end wall time, the fit's own time, and the layout's
// trustworthiness (k = 10, lib/reduce.Trustworthiness, which matches
// sklearn.manifold.trustworthiness) and nearest-neighbour class agreement, computed here
// the same way for both sides, with the ratio Python time / Go time (≥ 1: Go is no
// slower).
//
//	go run ./lib/cmd/benchreduce                        # 5000 × 128, 20 clusters
//	go run ./lib/cmd/benchreduce -n 2000 -methods umap
//	go run ./lib/cmd/benchreduce -npy emb.npy -labels labels.txt
//
// The data are a seeded Gaussian mixture standing in for embeddings, or a real .npy
// (float32 or float64, points × dimensions) with an optional labels file, one label a
// line. Python runs with OMP_NUM_THREADS, NUMBA_NUM_THREADS, OPENBLAS_NUM_THREADS and
// MKL_NUM_THREADS set to -threads, Go with GOMAXPROCS = -threads. Needs Debian's
// python3-sklearn and umap-learn (pip or python3-umap-learn) for the peer.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/reduce"
)

type result struct {
	ComputeS float64 `json:"compute_s"`
}

func main() {
	child := flag.String("child", "", "internal: run one method (pca, tsne, umap) on -in, write -out and exit")
	in := flag.String("in", "", "internal: input .npy for -child")
	out := flag.String("out", "", "internal: output .npy for -child")
	n := flag.Int("n", 5000, "points in the generated mixture")
	d := flag.Int("d", 128, "dimensions of the generated mixture")
	clusters := flag.Int("clusters", 20, "clusters in the generated mixture")
	noise := flag.Float64("noise", 8, "within-cluster spread of the mixture: a point's expected distance to its centre (centres are √(2d) apart on average)")
	seed := flag.Uint64("seed", 1, "seed for the data and every method")
	npyPath := flag.String("npy", "", "use these embeddings (.npy, points × dims) instead of the mixture")
	labelsPath := flag.String("labels", "", "with -npy: a text file of labels, one a line, for the class-agreement column")
	methods := flag.String("methods", "pca,tsne,umap", "comma-separated methods to compare")
	repeats := flag.Int("repeats", 3, "fresh-process runs of PCA on each side (the best is kept); t-SNE and UMAP run once")
	threads := flag.Int("threads", 2, "threads for both sides")
	python, script := benchkit.PeerFlags(flag.CommandLine, "benchreduce", "bench_sklearn.py", "scikit-learn and umap-learn", "the Python peer")
	flag.Parse()

	if *child != "" {
		check(runChild(*child, *in, *out, *seed))
		return
	}

	dir, err := os.MkdirTemp("", "benchreduce")
	check(err)
	defer os.RemoveAll(dir)
	var x [][]float64
	var labels []string
	source := ""
	if *npyPath != "" {
		x, err = readNPY(*npyPath)
		check(err)
		source = *npyPath
		if *labelsPath != "" {
			labels, err = readLines(*labelsPath)
			check(err)
			if len(labels) != len(x) {
				check(fmt.Errorf("%s has %d labels for %d points", *labelsPath, len(labels), len(x)))
			}
		}
	} else {
		x, labels = mixture(*n, *d, *clusters, *noise, *seed)
		source = fmt.Sprintf("seeded Gaussian mixture, %d clusters, noise %g", *clusters, *noise)
	}
	input := filepath.Join(dir, "embeddings.npy")
	check(writeNPY(input, x, true))
	x32 := make([][]float32, len(x))
	for i, r := range x {
		x32[i] = make([]float32, len(r))
		for j, v := range r {
			x32[i][j] = float32(v)
		}
	}
	self, err := os.Executable()
	check(err)

	fmt.Printf("2-D layouts of %d × %d embeddings (%s); fresh process per run, end to end from .npy; %d threads each side, %d CPUs\n\n",
		len(x), len(x[0]), source, *threads, runtime.NumCPU())
	fmt.Println("| method | implementation | end to end (s) | fit (s) | trustworthiness k=10 | NN class agreement | ratio Python/Go (end to end) | ratio (fit) |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, m := range strings.Split(*methods, ",") {
		reps := 1
		if m == "pca" {
			reps = *repeats
		}
		goOut := filepath.Join(dir, m+"-go.npy")
		goWall, goRes := benchkit.BestOf(reps, func() (float64, result) {
			return run(exec.Command(self, "-child", m, "-in", input, "-out", goOut, "-seed", fmt.Sprint(*seed)), *threads)
		})
		goY, err := readNPY(goOut)
		check(err)
		peers := []string{m}
		if m == "umap" {
			peers = append(peers, "umap-parallel")
		}
		type row struct {
			name        string
			wall, fit   float64
			trust, nnca float64
		}
		rows := []row{{"Go lib/reduce", goWall, goRes.ComputeS, trust(x32, goY), agreement(goY, labels)}}
		for _, p := range peers {
			pyOut := filepath.Join(dir, p+"-py.npy")
			wall, res := benchkit.BestOf(reps, func() (float64, result) {
				return run(exec.Command(*python, *script, p, input, pyOut, fmt.Sprint(*seed)), *threads)
			})
			pyY, err := readNPY(pyOut)
			check(err)
			rows = append(rows, row{peerName(p), wall, res.ComputeS, trust(x32, pyY), agreement(pyY, labels)})
		}
		for i, r := range rows {
			ratio, fitRatio := "", ""
			if i > 0 {
				ratio = fmt.Sprintf("%.2f", r.wall/goWall)
				fitRatio = fmt.Sprintf("%.2f", r.fit/goRes.ComputeS)
			}
			fmt.Printf("| %s | %s | %.3f | %.3f | %.4f | %s | %s | %s |\n", m, r.name, r.wall, r.fit, r.trust, fmtAgree(r.nnca), ratio, fitRatio)
		}
	}
}

func peerName(p string) string {
	switch p {
	case "pca":
		return "scikit-learn PCA (svd_solver auto)"
	case "tsne":
		return "scikit-learn TSNE (Barnes-Hut)"
	case "umap":
		return "umap-learn (random_state: 1-thread layout)"
	case "umap-parallel":
		return "umap-learn (no seed: parallel layout)"
	}
	return p
}

// runChild is one Go run: load, fit, save.
func runChild(method, in, out string, seed uint64) error {
	rows, err := readNPY(in)
	if err != nil {
		return err
	}
	x := make([][]float32, len(rows))
	for i, r := range rows {
		x[i] = make([]float32, len(r))
		for j, v := range r {
			x[i][j] = float32(v)
		}
	}
	t0 := time.Now()
	var y [][]float64
	switch method {
	case "pca":
		p, err := reduce.PCA(x, reduce.PCAOptions{Components: 2})
		if err != nil {
			return err
		}
		y, err = p.Transform(x)
		if err != nil {
			return err
		}
	case "tsne":
		y, err = reduce.TSNE(x, reduce.TSNEOptions{Seed: seed})
	case "umap":
		y, err = reduce.UMAP(x, reduce.UMAPOptions{Seed: seed})
	default:
		return fmt.Errorf("unknown method %q (want pca, tsne or umap)", method)
	}
	if err != nil {
		return err
	}
	fit := time.Since(t0).Seconds()
	if err := writeNPY(out, y, false); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(result{ComputeS: fit})
}

// run times a fresh process from start to exit and parses the JSON it prints.
func run(cmd *exec.Cmd, threads int) (float64, result) {
	t := fmt.Sprint(threads)
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+t, "OMP_NUM_THREADS="+t, "NUMBA_NUM_THREADS="+t,
		"OPENBLAS_NUM_THREADS="+t, "MKL_NUM_THREADS="+t)
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	outb, err := cmd.Output()
	wall := time.Since(t0).Seconds()
	if err != nil {
		check(fmt.Errorf("running %s: %w", strings.Join(cmd.Args, " "), err))
	}
	var r result
	lines := strings.Split(strings.TrimSpace(string(outb)), "\n")
	check(json.Unmarshal([]byte(lines[len(lines)-1]), &r))
	return wall, r
}

func trust(x [][]float32, y [][]float64) float64 {
	t, err := reduce.Trustworthiness(x, y, 10)
	check(err)
	return t
}

// agreement is the share of points whose nearest layout neighbour has their label.
func agreement(y [][]float64, labels []string) float64 {
	if labels == nil {
		return math.NaN()
	}
	agree := 0
	for i := range y {
		bestJ, bestD := -1, math.Inf(1)
		for j := range y {
			if j != i {
				dx, dy := y[i][0]-y[j][0], y[i][1]-y[j][1]
				if d := dx*dx + dy*dy; d < bestD {
					bestJ, bestD = j, d
				}
			}
		}
		if labels[bestJ] == labels[i] {
			agree++
		}
	}
	return float64(agree) / float64(len(y))
}

func fmtAgree(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.4f", v)
}

// mixture draws n points around k cluster centres in d dimensions: centres N(0, 1) per
// dimension, points at an expected distance noise·s from their centre, with each
// cluster's own s in [0.5, 1.5) — overlapping a little at the default noise 8 in 128
// dimensions (centres ≈ 16 apart), as real embeddings of similar classes do.
func mixture(n, d, k int, noise float64, seed uint64) ([][]float64, []string) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	centres := make([][]float64, k)
	spread := make([]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = rng.NormFloat64()
		}
		spread[c] = 0.5 + rng.Float64()
	}
	x := make([][]float64, n)
	labels := make([]string, n)
	for i := range x {
		c := rng.IntN(k)
		labels[i] = fmt.Sprint(c)
		x[i] = make([]float64, d)
		for j := range x[i] {
			x[i][j] = centres[c][j] + spread[c]*rng.NormFloat64()/math.Sqrt(float64(d))*noise
		}
	}
	return x, labels
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		out = append(out, strings.TrimSpace(s.Text()))
	}
	return out, s.Err()
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchreduce")
