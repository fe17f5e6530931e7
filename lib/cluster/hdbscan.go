package cluster

import (
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// HDBSCANOptions configures HDBSCAN. Zero fields take the defaults given.
type HDBSCANOptions struct {
	// MinClusterSize is the fewest points a group needs to count as a
	// cluster; smaller groups that split off are noise. Default 5.
	MinClusterSize int
	// MinSamples sets how dense a point's neighborhood must be: its core
	// distance is the distance to its MinSamples-th nearest point, the point
	// itself counted first. Larger values call more points noise. Default
	// MinClusterSize.
	MinSamples int
	// Workers is the number of goroutines of the distance computations; 0
	// means runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
}

// HDBSCANResult is the outcome of HDBSCAN.
type HDBSCANResult struct {
	// Labels[i] is the cluster of point i, in [0, NumClusters), or Noise.
	Labels []int
	// NumClusters is the number of clusters found (0 when all is noise).
	NumClusters int
	// Stability[c] is cluster c's excess of mass: Σ over its points of
	// (λ at which the point leaves − λ at which the cluster appears), with
	// λ = 1 / distance. Higher means a more persistent cluster.
	Stability []float64
	// CoreDistances[i] is point i's core distance (units of the data).
	CoreDistances []float64
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o HDBSCANOptions) withDefaults() HDBSCANOptions {
	if o.MinClusterSize == 0 {
		o.MinClusterSize = 5
	}
	if o.MinSamples == 0 {
		o.MinSamples = o.MinClusterSize
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// HDBSCAN clusters points by density (Campello, Moulavi & Sander, 2013;
// McInnes & Healy's hdbscan library), and says how many clusters there are:
//
//  1. the core distance of each point is the distance to its MinSamples-th
//     nearest point; the mutual reachability distance of two points is the
//     largest of their distance and their two core distances, which pushes
//     sparse points away from everything;
//  2. a minimum spanning tree of the mutual reachability distances (Prim's
//     algorithm on the complete graph) gives the single-linkage hierarchy;
//  3. the hierarchy is condensed: walking down from the root, a split makes
//     two new clusters only when both sides hold MinClusterSize points, and
//     smaller sides are points falling out of their cluster;
//  4. clusters are selected by excess of mass: a cluster is kept when its
//     stability is at least the summed stability of its selected
//     descendants (the root is never selected, so one big cluster is not an
//     answer), and points that fall out before reaching a kept cluster are
//     Noise.
//
// Distances are Euclidean (normalize the rows first for cosine-like
// behavior). Time O(n²·dim), memory O(n): meant for up to some tens of
// thousands of points. Clusters are numbered in the order the condensed tree
// creates them. Exact ties between distances are broken by point index, so
// the result is deterministic.
func HDBSCAN(x [][]float32, o HDBSCANOptions) (*HDBSCANResult, error) {
	flat, n, dim, err := flatten(x)
	if err != nil {
		return nil, fmt.Errorf("cluster.HDBSCAN: %w", err)
	}
	o = o.withDefaults()
	if o.MinClusterSize < 2 {
		return nil, fmt.Errorf("cluster.HDBSCAN: MinClusterSize = %d: must be at least 2", o.MinClusterSize)
	}
	if o.MinSamples < 1 || o.MinSamples > n {
		return nil, fmt.Errorf("cluster.HDBSCAN: MinSamples = %d: must be in [1, %d] (the number of points)", o.MinSamples, n)
	}
	g := &densityGraph{x: flat, n: n, dim: dim, workers: o.Workers}
	g.core = g.coreDistances(o.MinSamples)
	edges := g.spanningTree()
	tree := condense(singleLinkage(n, edges), n, o.MinClusterSize)
	labels, stability := tree.selectEOM(n)
	return &HDBSCANResult{Labels: labels, NumClusters: len(stability), Stability: stability, CoreDistances: g.core}, nil
}

// MustHDBSCAN is HDBSCAN that panics on error, for notebooks.
func MustHDBSCAN(x [][]float32, o HDBSCANOptions) *HDBSCANResult {
	r, err := HDBSCAN(x, o)
	if err != nil {
		panic(err)
	}
	return r
}

type densityGraph struct {
	x       []float32
	n, dim  int
	workers int
	core    []float64
}

func (g *densityGraph) dist(i, j int) float64 {
	return math.Sqrt(float64(vec.SquaredDistance(g.x[i*g.dim:(i+1)*g.dim], g.x[j*g.dim:(j+1)*g.dim])))
}

// parallelRange runs fn on contiguous ranges of [0, n), one per worker.
func (g *densityGraph) parallelRange(n int, fn func(lo, hi int)) {
	parallel.Ranges(n, max(1, min(g.workers, n/64)), fn)
}

// coreDistances returns each point's distance to its k-th nearest point,
// itself counted first (at distance 0).
func (g *densityGraph) coreDistances(k int) []float64 {
	core := make([]float64, g.n)
	g.parallelRange(g.n, func(lo, hi int) {
		nearest := make([]float64, 0, k) // the k smallest distances, ascending
		for i := lo; i < hi; i++ {
			nearest = nearest[:0]
			for j := range g.n {
				d := 0.0
				if j != i {
					d = g.dist(i, j)
				}
				if len(nearest) == k && d >= nearest[k-1] {
					continue
				}
				pos, _ := slices.BinarySearch(nearest, d)
				if len(nearest) < k {
					nearest = append(nearest, 0)
				}
				copy(nearest[pos+1:], nearest[pos:len(nearest)-1])
				nearest[pos] = d
			}
			core[i] = nearest[k-1]
		}
	})
	return core
}

// edge joins points a and b at mutual reachability distance w.
type edge struct {
	a, b int
	w    float64
}

// spanningTree returns a minimum spanning tree of the mutual reachability
// distances by Prim's algorithm, in the order its edges were added.
func (g *densityGraph) spanningTree() []edge {
	inTree := make([]bool, g.n)
	best := make([]float64, g.n)
	from := make([]int, g.n)
	for i := range best {
		best[i] = math.Inf(1)
	}
	edges := make([]edge, 0, g.n-1)
	cur := 0
	inTree[0] = true
	for len(edges) < g.n-1 {
		g.parallelRange(g.n, func(lo, hi int) {
			for j := lo; j < hi; j++ {
				if inTree[j] {
					continue
				}
				d := max(g.dist(cur, j), g.core[cur], g.core[j])
				if d < best[j] {
					best[j], from[j] = d, cur
				}
			}
		})
		next := -1
		for j := range g.n {
			if !inTree[j] && (next < 0 || best[j] < best[next]) {
				next = j
			}
		}
		edges = append(edges, edge{a: from[next], b: next, w: best[next]})
		inTree[next] = true
		cur = next
	}
	return edges
}

// merge is a node of the single-linkage hierarchy: nodes 0..n−1 are the
// points, node n+m is the m-th merge, joining left and right at distance w.
type merge struct {
	left, right int
	w           float64
	size        int
}

// singleLinkage turns the spanning tree into the single-linkage hierarchy:
// edges in increasing weight (ties in tree order) join components.
func singleLinkage(n int, edges []edge) []merge {
	sorted := slices.Clone(edges)
	slices.SortStableFunc(sorted, func(a, b edge) int {
		switch {
		case a.w < b.w:
			return -1
		case a.w > b.w:
			return 1
		}
		return 0
	})
	parent := make([]int, 2*n-1)
	size := make([]int, 2*n-1)
	for i := range parent {
		parent[i] = i
		size[i] = 1
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	merges := make([]merge, 0, n-1)
	for m, e := range sorted {
		ra, rb := find(e.a), find(e.b)
		node := n + m
		parent[ra], parent[rb] = node, node
		size[node] = size[ra] + size[rb]
		merges = append(merges, merge{left: ra, right: rb, w: e.w, size: size[node]})
	}
	return merges
}

// condensedTree is the hierarchy seen through MinClusterSize: clusters
// (numbered from 0, the root) and, for each, the λ at which it appears, its
// parent, and the points that fall out of it with their λ.
type condensedTree struct {
	birth    []float64 // λ at which each cluster appears (0 for the root)
	parent   []int     // parent cluster (−1 for the root)
	children [][]int   // child clusters
	// pointCluster[p] is the last cluster point p belongs to, and
	// pointLambda[p] the λ at which it leaves it.
	pointCluster []int
	pointLambda  []float64
	// stability[c] is Σ over the points and child clusters leaving c of
	// size·(λ at leaving − birth[c]).
	stability []float64
}

// lambda is 1/distance, kept finite for duplicate points.
func lambda(d float64) float64 { return 1 / math.Max(d, 1e-300) }

// condense walks the hierarchy from the root (see HDBSCAN, step 3).
func condense(merges []merge, n, minSize int) *condensedTree {
	t := &condensedTree{pointCluster: make([]int, n), pointLambda: make([]float64, n)}
	newCluster := func(parent int, birth float64) int {
		t.birth = append(t.birth, birth)
		t.parent = append(t.parent, parent)
		t.children = append(t.children, nil)
		t.stability = append(t.stability, 0)
		if parent >= 0 {
			t.children[parent] = append(t.children[parent], len(t.birth)-1)
		}
		return len(t.birth) - 1
	}
	sizeOf := func(node int) int {
		if node < n {
			return 1
		}
		return merges[node-n].size
	}
	// fallOut records every point under node as leaving cluster c at λ.
	var fallOut func(node, c int, l float64)
	fallOut = func(node, c int, l float64) {
		stack := []int{node}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if v < n {
				t.pointCluster[v], t.pointLambda[v] = c, l
				t.stability[c] += l - t.birth[c]
				continue
			}
			stack = append(stack, merges[v-n].left, merges[v-n].right)
		}
	}
	if n == 1 {
		newCluster(-1, 0)
		fallOut(0, 0, 0)
		return t
	}
	type item struct{ node, cluster int }
	root := newCluster(-1, 0)
	queue := []item{{2*n - 2, root}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if it.node < n { // a single point reached while its cluster continues
			fallOut(it.node, it.cluster, t.birth[it.cluster])
			continue
		}
		m := merges[it.node-n]
		l := lambda(m.w)
		ls, rs := sizeOf(m.left), sizeOf(m.right)
		switch {
		case ls >= minSize && rs >= minSize:
			for _, child := range []int{m.left, m.right} {
				c := newCluster(it.cluster, l)
				t.stability[it.cluster] += float64(sizeOf(child)) * (l - t.birth[it.cluster])
				queue = append(queue, item{child, c})
			}
		case ls < minSize && rs < minSize:
			fallOut(m.left, it.cluster, l)
			fallOut(m.right, it.cluster, l)
		case ls < minSize:
			fallOut(m.left, it.cluster, l)
			queue = append(queue, item{m.right, it.cluster})
		default:
			fallOut(m.right, it.cluster, l)
			queue = append(queue, item{m.left, it.cluster})
		}
	}
	return t
}

// selectEOM picks clusters by excess of mass (see HDBSCAN, step 4) and labels
// the points.
func (t *condensedTree) selectEOM(n int) (labels []int, stability []float64) {
	k := len(t.birth)
	selected := make([]bool, k)
	subtree := slices.Clone(t.stability)
	// Children are created after their parents, so a reverse walk sees every
	// cluster after all of its descendants. The root (0) is never selected.
	for c := k - 1; c >= 1; c-- {
		var childSum float64
		for _, ch := range t.children[c] {
			childSum += subtree[ch]
		}
		if len(t.children[c]) > 0 && childSum > t.stability[c] {
			subtree[c] = childSum
			continue
		}
		selected[c] = true
		stack := slices.Clone(t.children[c])
		for len(stack) > 0 {
			d := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			selected[d] = false
			stack = append(stack, t.children[d]...)
		}
	}
	label := make([]int, k)
	for c := range k {
		label[c] = Noise
		if selected[c] {
			label[c] = len(stability)
			stability = append(stability, t.stability[c])
		}
	}
	labels = make([]int, n)
	for p := range n {
		labels[p] = Noise
		for c := t.pointCluster[p]; c >= 0; c = t.parent[c] {
			if selected[c] {
				labels[p] = label[c]
				break
			}
		}
	}
	return labels, stability
}
