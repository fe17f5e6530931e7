package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// Noise is the label HDBSCAN gives to points that belong to no cluster.
const Noise = -1

// contingency counts the points of each (truth, pred) label pair, of each
// truth label and of each predicted label. Labels are any ints.
func contingency(truth, pred []int) (pairs, rows, cols map[[2]int]int, err error) {
	if len(truth) != len(pred) {
		return nil, nil, nil, fmt.Errorf("%d true labels but %d predicted ones", len(truth), len(pred))
	}
	if len(truth) == 0 {
		return nil, nil, nil, errors.New("no labels")
	}
	pairs, rows, cols = map[[2]int]int{}, map[[2]int]int{}, map[[2]int]int{}
	for i := range truth {
		pairs[[2]int{truth[i], pred[i]}]++
		rows[[2]int{truth[i]}]++
		cols[[2]int{pred[i]}]++
	}
	return pairs, rows, cols, nil
}

// sumOfSquares returns Σ v² over the counts.
func sumOfSquares(counts map[[2]int]int) float64 {
	var s float64
	for _, v := range counts {
		s += float64(v) * float64(v)
	}
	return s
}

// Purity is the fraction of points whose predicted cluster's most common true
// class is their own class: Σ_clusters max_class |cluster ∩ class| / n, in
// (0, 1]. It rewards many small clusters (singletons give 1), so read it with
// the number of clusters or with AdjustedRandIndex. Every distinct label,
// Noise included, counts as one cluster; drop noise points first to score
// only the clustered ones.
func Purity(pred, truth []int) (float64, error) {
	pairs, _, _, err := contingency(truth, pred)
	if err != nil {
		return 0, fmt.Errorf("cluster.Purity: %w", err)
	}
	best := map[int]int{}
	for key, v := range pairs {
		best[key[1]] = max(best[key[1]], v)
	}
	total := 0
	for _, b := range best {
		total += b
	}
	return float64(total) / float64(len(pred)), nil
}

// AdjustedRandIndex is the Rand index of two labelings of the same points,
// corrected for chance (Hubert & Arabie, 1985): 1 when they define the same
// partition (whatever the label values), about 0 for independent random
// labelings, negative when they agree less than chance. Computed from the
// pair counts as scikit-learn's adjusted_rand_score does, including its
// convention that two partitions that agree on every pair score 1 (both one
// cluster, or both all singletons). The labels are any ints; Noise is one more
// label.
func AdjustedRandIndex(truth, pred []int) (float64, error) {
	pairs, rows, cols, err := contingency(truth, pred)
	if err != nil {
		return 0, fmt.Errorf("cluster.AdjustedRandIndex: %w", err)
	}
	n := float64(len(truth))
	sumSq, rowSq, colSq := sumOfSquares(pairs), sumOfSquares(rows), sumOfSquares(cols)
	// Ordered pair counts, as in sklearn's pair_confusion_matrix.
	tp := sumSq - n
	fp := colSq - sumSq
	fn := rowSq - sumSq
	tn := n*n - fp - fn - sumSq
	if fn == 0 && fp == 0 {
		return 1, nil
	}
	return 2 * (tp*tn - fn*fp) / ((tp+fn)*(fn+tn) + (tp+fp)*(fp+tn)), nil
}

// SilhouetteOptions configures Silhouette. The zero value scores every point.
type SilhouetteOptions struct {
	// SampleSize, when positive and below n, scores a random subset of that
	// many points, with distances among the subset only (as scikit-learn's
	// silhouette_score(sample_size=…) does): O(SampleSize²) instead of O(n²).
	SampleSize int
	// Seed draws the subset.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
}

// Silhouette is the mean silhouette coefficient of a clustering under the
// Euclidean distance, in [−1, 1]: for each point, a is its mean distance to
// the other points of its cluster and b the smallest mean distance to the
// points of another cluster, and s = (b − a) / max(a, b) (0 for a point alone
// in its cluster). High when clusters are tight and far apart. It needs
// between 2 and n − 1 distinct labels; Noise is one more label, so drop noise
// points first. Time O(n²·dim).
func Silhouette(x [][]float32, labels []int, o SilhouetteOptions) (float64, error) {
	if o.SampleSize > 0 && o.SampleSize < len(x) {
		if len(labels) != len(x) {
			return 0, fmt.Errorf("cluster.Silhouette: %d points but %d labels", len(x), len(labels))
		}
		rng := rand.New(rand.NewPCG(o.Seed, 0x73696c))
		idx := rng.Perm(len(x))[:o.SampleSize]
		sort.Ints(idx)
		xs := make([][]float32, len(idx))
		ls := make([]int, len(idx))
		for j, i := range idx {
			xs[j], ls[j] = x[i], labels[i]
		}
		x, labels = xs, ls
	}
	s, err := SilhouetteSamples(x, labels, o.Workers)
	if err != nil {
		return 0, fmt.Errorf("cluster.Silhouette: %w", err)
	}
	var sum float64
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s)), nil
}

// SilhouetteSamples returns each point's silhouette coefficient (see
// Silhouette), with workers goroutines (0: runtime.GOMAXPROCS(0)).
func SilhouetteSamples(x [][]float32, labels []int, workers int) ([]float64, error) {
	flat, n, dim, err := flatten(x)
	if err != nil {
		return nil, fmt.Errorf("cluster.SilhouetteSamples: %w", err)
	}
	if len(labels) != n {
		return nil, fmt.Errorf("cluster.SilhouetteSamples: %d points but %d labels", n, len(labels))
	}
	index := map[int]int{}
	for _, l := range labels {
		if _, ok := index[l]; !ok {
			index[l] = len(index)
		}
	}
	k := len(index)
	if k < 2 || k > n-1 {
		return nil, fmt.Errorf("cluster.SilhouetteSamples: %d distinct labels for %d points: need between 2 and %d", k, n, n-1)
	}
	lab := make([]int, n)
	sizes := make([]int, k)
	for i, l := range labels {
		lab[i] = index[l]
		sizes[lab[i]]++
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]float64, n)
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums := make([]float64, k)
			for i := w; i < n; i += workers {
				clear(sums)
				p := flat[i*dim : (i+1)*dim]
				for j := range n {
					if j != i {
						sums[lab[j]] += math.Sqrt(float64(vec.SquaredDistance(p, flat[j*dim:(j+1)*dim])))
					}
				}
				own := lab[i]
				if sizes[own] == 1 {
					out[i] = 0
					continue
				}
				a := sums[own] / float64(sizes[own]-1)
				b := math.Inf(1)
				for c := range k {
					if c != own {
						b = math.Min(b, sums[c]/float64(sizes[c]))
					}
				}
				if m := math.Max(a, b); m > 0 {
					out[i] = (b - a) / m
				}
			}
		}()
	}
	wg.Wait()
	return out, nil
}

// KChoice is one row of ChooseK: the k-means result for one K.
type KChoice struct {
	K int
	// Inertia is the k-means inertia (see KMeansResult); it always falls as
	// K grows, so look for the elbow where it stops falling fast.
	Inertia float64
	// Silhouette is the mean silhouette of the k-means labels (NaN for K = 1,
	// where it is undefined); higher is better.
	Silhouette float64
	// Labels are the k-means labels for this K.
	Labels []int
}

// ChooseK runs KMeans for every K in ks (with o's other options) and reports
// inertia and silhouette per K, the two usual guides to the number of
// clusters: the elbow of the inertia curve and the highest silhouette. The
// silhouette uses so (set SampleSize for large n).
func ChooseK(x [][]float32, ks []int, o KMeansOptions, so SilhouetteOptions) ([]KChoice, error) {
	out := make([]KChoice, 0, len(ks))
	for _, k := range ks {
		o.K = k
		res, err := KMeans(x, o)
		if err != nil {
			return nil, fmt.Errorf("cluster.ChooseK: %w", err)
		}
		c := KChoice{K: k, Inertia: res.Inertia, Silhouette: math.NaN(), Labels: res.Labels}
		if k > 1 && k < len(x) {
			if c.Silhouette, err = Silhouette(x, res.Labels, so); err != nil {
				return nil, fmt.Errorf("cluster.ChooseK: K = %d: %w", k, err)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// BestSilhouette returns the K of the choice with the highest silhouette
// (ties: the smaller K), or 0 when none is defined.
func BestSilhouette(choices []KChoice) int {
	best, bestS := 0, math.Inf(-1)
	for _, c := range choices {
		if !math.IsNaN(c.Silhouette) && c.Silhouette > bestS {
			best, bestS = c.K, c.Silhouette
		}
	}
	return best
}
