// Command benchsearch measures similarity search and clustering at scale on
// 2 cores: lib/search (exact cosine top-k on the Go loop and on the GoMLX
// engine, and the HNSW index) and lib/cluster (k-means, HDBSCAN on a subset),
// side by side with scikit-learn's NearestNeighbors(brute, cosine) and KMeans
// (bench_sklearn.py beside this file, /usr/bin/python3, OMP_NUM_THREADS and
// OPENBLAS_NUM_THREADS set to -threads).
//
//	go run ./lib/cmd/benchsearch                       # 100,000 × 128 and × 1,536
//	go run ./lib/cmd/benchsearch -n 20000 -dims 128    # quicker
//
// The data are seeded, clustered float32 vectors: -clusters centers, each
// cluster a -latent-dimensional Gaussian around its center (spread comparable
// to the centers' norm, so clusters overlap in angle) plus small isotropic
// noise — like real embeddings, which lie near low-dimensional structure.
// Queries are drawn the same way. Each dimension runs in its own child
// process, so its peak memory (getrusage maxrss, which only grows) is its own;
// the Go runtime's view (MemStats.Sys) is printed beside it. Timings are
// medians of single calls or one timed batch after a warm-up, on a machine
// that may be shared: read them as orders of magnitude.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/cluster"
	"github.com/dawnchorus/dawnchorus/lib/cmd/benchkit"
	"github.com/dawnchorus/dawnchorus/lib/search"
)

var (
	flagN                  = flag.Int("n", 100000, "vectors in the collection")
	flagDims               = flag.String("dims", "128,1536", "comma-separated dimensions, one run each")
	flagQueries            = flag.Int("queries", 100, "queries: the batch size, and the queries over which recall and HNSW latency are measured")
	flagSingle             = flag.Int("single", 10, "single-query exact searches timed (median reported)")
	flagK                  = flag.Int("k", 10, "neighbors per query (recall@k)")
	flagM                  = flag.Int("M", search.DefaultM, "HNSW M")
	flagEfC                = flag.Int("efc", 100, "HNSW EfConstruction (the library's default is 200; 100 keeps the 1,536-d build within minutes)")
	flagEfs                = flag.String("ef", "32,64,128", "HNSW EfSearch values to measure")
	flagKMeansK            = flag.Int("kmeans-k", 100, "k-means clusters")
	flagKMeansIt           = flag.Int("kmeans-iter", 5, "k-means Lloyd iterations (tolerance off)")
	flagHDBSCANN           = flag.Int("hdbscan-n", 2000, "points clustered by HDBSCAN (its cost is O(n²)); 0 skips it")
	flagThreads            = flag.Int("threads", 2, "GOMAXPROCS for Go, OMP/OpenBLAS threads for scikit-learn")
	flagData               = benchkit.ClusteredFlags(flag.CommandLine)
	flagPython, flagScript = benchkit.PeerFlags(flag.CommandLine, "benchsearch", "bench_sklearn.py", "scikit-learn; empty skips the peer", "the scikit-learn peer")
	flagEngine             = flag.Int("engine-single", 3, "single-query searches timed on the GoMLX engine (median reported); 0 skips the engine")
	flagChild              = flag.Int("child-dim", 0, "internal: run one dimension in this process")
)

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(*flagThreads)
	if *flagChild > 0 {
		runDim(*flagChild)
		return
	}
	fmt.Printf("benchsearch: n = %d, %d queries, k = %d, %d threads, %d CPUs, %s\n",
		*flagN, *flagQueries, *flagK, *flagThreads, runtime.NumCPU(), runtime.Version())
	dims, err := benchkit.Ints(*flagDims)
	check(err)
	for _, dim := range dims {
		args := append([]string{fmt.Sprintf("-child-dim=%d", dim)}, os.Args[1:]...)
		cmd := exec.Command(os.Args[0], args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		check(cmd.Run())
	}
}

// writeRaw writes rows as little-endian float32, for numpy.fromfile.
func writeRaw(path string, rows [][]float32) {
	buf := make([]byte, 0, len(rows)*len(rows[0])*4)
	for _, r := range rows {
		for _, v := range r {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	check(atomicfile.WriteFile(path, buf))
}

type memory struct{ rss, sys uint64 }

func measureMemory() memory {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memory{rss: uint64(ru.Maxrss) * 1024, sys: ms.Sys}
}

func (m memory) String() string {
	return fmt.Sprintf("maxrss %.0f MiB, Go Sys %.0f MiB", float64(m.rss)/(1<<20), float64(m.sys)/(1<<20))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()*1000) }

type peer struct {
	FitS          float64 `json:"fit_s"`
	SingleMedianS float64 `json:"single_median_s"`
	BatchS        float64 `json:"batch_s"`
	Neighbors     [][]int `json:"neighbors"`
	RSSAfter      float64 `json:"rss_after_search"`
	KMeansS       float64 `json:"kmeans_s"`
	KMeansIter    int     `json:"kmeans_iter"`
	KMeansInertia float64 `json:"kmeans_inertia"`
	RSSPeak       float64 `json:"rss_peak"`
	Sklearn       string  `json:"sklearn"`
}

func runDim(dim int) {
	n, nq, k := *flagN, *flagQueries, *flagK
	fmt.Printf("\n## %d vectors × %d dimensions (%d clusters of latent dimension %d), %d queries, k = %d\n\n",
		n, dim, *flagData.Clusters, *flagData.Latent, nq, k)
	t0 := time.Now()
	data, ids := flagData.Vectors(n, dim, 0)
	queries, _ := flagData.Vectors(nq, dim, 1)
	fmt.Printf("data generated in %.1f s; %s\n\n", time.Since(t0).Seconds(), measureMemory())

	type row struct{ what, goFig, peerFig, note string }
	var rows []row
	add := func(what, goFig, peerFig, note string) int {
		rows = append(rows, row{what, goFig, peerFig, note})
		return len(rows) - 1
	}

	// Exact search.
	t0 = time.Now()
	exactGo := must(search.NewExact(data, search.ExactOptions{Engine: search.EngineGo}))
	rowBuild := add("exact: build (normalize a copy), s", fmt.Sprintf("%.3f", time.Since(t0).Seconds()), "", "")
	var single []time.Duration
	for i := range min(*flagSingle, nq) {
		t := time.Now()
		must(exactGo.Search(queries[i], k))
		single = append(single, time.Since(t))
	}
	rowSingle := add("exact: 1 query, Go path, ms (median)", ms(benchkit.Median(single)), "", "")
	t0 = time.Now()
	exactRes := must(exactGo.SearchBatch(queries, k))
	goBatch := time.Since(t0)
	rowBatch := add(fmt.Sprintf("exact: batch of %d, Go path, ms per query", nq), ms(goBatch/time.Duration(nq)), "", "")
	memExact := measureMemory()
	exactGo = nil

	// HNSW.
	runtime.GC()
	t0 = time.Now()
	h := must(search.NewHNSW(data, search.HNSWOptions{M: *flagM, EfConstruction: *flagEfC, Seed: 1}))
	add(fmt.Sprintf("HNSW: build (M %d, efC %d, %d threads), s", *flagM, *flagEfC, *flagThreads), fmt.Sprintf("%.1f", time.Since(t0).Seconds()), "", "deterministic for the seed")
	efs, err := benchkit.Ints(*flagEfs)
	check(err)
	for _, ef := range efs {
		check(h.SetEfSearch(ef))
		lat := make([]time.Duration, nq)
		approx := make([][]search.Hit, nq)
		for i, q := range queries {
			t := time.Now()
			approx[i] = must(h.Search(q, k))
			lat[i] = time.Since(t)
		}
		recall := must(search.Recall(approx, exactRes, k))
		t0 = time.Now()
		must(h.SearchBatch(queries, k))
		batch := time.Since(t0)
		add(fmt.Sprintf("HNSW ef %d: 1 query ms (median) / batch ms per query / recall@%d", ef, k),
			fmt.Sprintf("%s / %s / %.4f", ms(benchkit.Median(lat)), ms(batch/time.Duration(nq)), recall), "", "")
	}
	memHNSW := measureMemory()
	h = nil

	// k-means from the first K points (the same start for scikit-learn).
	runtime.GC()
	init := data[:*flagKMeansK]
	t0 = time.Now()
	km := must(cluster.KMeans(data, cluster.KMeansOptions{K: *flagKMeansK, Init: init, MaxIter: *flagKMeansIt, Tol: 1e-300}))
	kmTime := time.Since(t0)

	// HDBSCAN on a subset.
	var hdRow *row
	if hn := min(*flagHDBSCANN, n); hn > 0 {
		t0 = time.Now()
		hd := must(cluster.HDBSCAN(data[:hn], cluster.HDBSCANOptions{MinClusterSize: 10}))
		el := time.Since(t0)
		var tr, pr []int
		noise := 0
		for i, l := range hd.Labels {
			if l == cluster.Noise {
				noise++
				continue
			}
			tr, pr = append(tr, ids[i]), append(pr, l)
		}
		ari := math.NaN()
		if len(tr) > 0 {
			ari = must(cluster.AdjustedRandIndex(tr, pr))
		}
		hdRow = &row{fmt.Sprintf("HDBSCAN on the first %d points (min cluster 10), s", hn), fmt.Sprintf("%.1f", el.Seconds()), "no peer in sklearn 1.2.1",
			fmt.Sprintf("%d clusters found (%d generated), %d noise, ARI on clustered points %.3f", hd.NumClusters, *flagData.Clusters, noise, ari)}
	}

	memKMeans := measureMemory()

	// The GoMLX engine last: it keeps its own copy of the data.
	var memEngine memory
	rowEngBatch := -1
	if *flagEngine > 0 {
		exactEng := must(search.NewExact(data, search.ExactOptions{Engine: search.EngineGoMLX}))
		t0 = time.Now()
		must(exactEng.Search(queries[0], k))
		add("exact: GoMLX first call (compile + copy in), ms", ms(time.Since(t0)), "", "")
		single = single[:0]
		for i := range min(*flagEngine, nq) {
			t := time.Now()
			must(exactEng.Search(queries[i], k))
			single = append(single, time.Since(t))
		}
		add("exact: 1 query, GoMLX engine, ms (median)", ms(benchkit.Median(single)), "", "")
		must(exactEng.SearchBatch(queries, k)) // compiles the batch shape
		t0 = time.Now()
		engRes := must(exactEng.SearchBatch(queries, k))
		engBatch := time.Since(t0)
		rowEngBatch = add(fmt.Sprintf("exact: batch of %d, GoMLX engine, ms per query", nq), ms(engBatch/time.Duration(nq)), "", "")
		agree := must(search.Recall(engRes, exactRes, k))
		add("exact: GoMLX vs Go path, top-k agreement", fmt.Sprintf("%.4f", agree), "", "float32 rounding may swap near-ties")
		memEngine = measureMemory()
	}

	// The scikit-learn peer, after the Go side's large data is released.
	var py *peer
	if *flagPython != "" {
		dir, err := os.MkdirTemp("", "benchsearch")
		check(err)
		defer os.RemoveAll(dir)
		writeRaw(filepath.Join(dir, "data.f32"), data)
		writeRaw(filepath.Join(dir, "queries.f32"), queries)
		writeRaw(filepath.Join(dir, "init.f32"), init)
		data, init = nil, nil
		runtime.GC()
		debug.FreeOSMemory()
		cmd := exec.Command(*flagPython, *flagScript, filepath.Join(dir, "data.f32"), filepath.Join(dir, "queries.f32"), filepath.Join(dir, "init.f32"),
			fmt.Sprint(n), fmt.Sprint(dim), fmt.Sprint(nq), fmt.Sprint(k), fmt.Sprint(*flagKMeansK), fmt.Sprint(*flagKMeansIt), fmt.Sprint(min(*flagSingle, nq)))
		th := fmt.Sprint(*flagThreads)
		cmd.Env = append(os.Environ(), "OMP_NUM_THREADS="+th, "OPENBLAS_NUM_THREADS="+th, "MKL_NUM_THREADS="+th)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		check(err)
		py = new(peer)
		check(json.Unmarshal(out, py))
	}

	peerFig := func(f func(*peer) string) string {
		if py == nil {
			return "—"
		}
		return f(py)
	}
	rows[rowBuild].peerFig = peerFig(func(p *peer) string { return fmt.Sprintf("%.3f (fit)", p.FitS) })
	rows[rowSingle].peerFig = peerFig(func(p *peer) string { return fmt.Sprintf("%.3f", p.SingleMedianS*1000) })
	rows[rowBatch].peerFig = peerFig(func(p *peer) string { return fmt.Sprintf("%.3f", p.BatchS*1000/float64(nq)) })
	if rowEngBatch >= 0 {
		rows[rowEngBatch].peerFig = peerFig(func(p *peer) string { return fmt.Sprintf("%.3f", p.BatchS*1000/float64(nq)) })
	}
	if py != nil {
		pyHits := make([][]search.Hit, len(py.Neighbors))
		for q, idx := range py.Neighbors {
			for _, i := range idx {
				pyHits[q] = append(pyHits[q], search.Hit{Index: i})
			}
		}
		add("exact: sklearn vs Go path, top-k agreement", "", fmt.Sprintf("%.4f", must(search.Recall(pyHits, exactRes, k))), "float64 vs float32 near-ties")
	}
	add(fmt.Sprintf("k-means: K %d, %d Lloyd iterations from the same init, s", *flagKMeansK, *flagKMeansIt),
		fmt.Sprintf("%.2f", kmTime.Seconds()), peerFig(func(p *peer) string { return fmt.Sprintf("%.2f", p.KMeansS) }),
		fmt.Sprintf("inertia Go %.6g, sklearn %s", km.Inertia, peerFig(func(p *peer) string { return fmt.Sprintf("%.6g (%d iterations)", p.KMeansInertia, p.KMeansIter) })))
	if hdRow != nil {
		rows = append(rows, *hdRow)
	}
	fmt.Printf("| measure | Go (dawnchorus) | scikit-learn | note |\n|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.goFig, r.peerFig, r.note)
	}
	fmt.Printf("\nPeak memory (cumulative, so each figure includes the phases before it), Go: data + exact (Go path) %s; + HNSW %s; + k-means and HDBSCAN %s",
		memExact, memHNSW, memKMeans)
	if rowEngBatch >= 0 {
		fmt.Printf("; + GoMLX exact %s", memEngine)
	}
	fmt.Println(".")
	if py != nil {
		fmt.Printf("Peak memory, scikit-learn (%s): after search maxrss %.0f MiB, after k-means %.0f MiB.\n", py.Sklearn, py.RSSAfter/(1<<20), py.RSSPeak/(1<<20))
	}
	fmt.Printf("Raw data: %.0f MiB of float32.\n", float64(n*dim*4)/(1<<20))
}

func must[T any](v T, err error) T {
	check(err)
	return v
}

// check stops the program on an error it cannot go on from.
var check = benchkit.Check("benchsearch")
