package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// HNSWOptions configures an HNSW index. Zero fields take the defaults below.
type HNSWOptions struct {
	// M is the number of neighbors a node keeps on each upper layer; layer 0
	// keeps up to 2·M. Larger M: better recall, more memory, slower build.
	// Default 16.
	M int
	// EfConstruction is the size of the candidate list while inserting.
	// Default 200.
	EfConstruction int
	// EfSearch is the size of the candidate list while searching (raised to k
	// when k is larger); the knob that trades query time for recall.
	// Default 128: recall@10 ≥ 0.95 on 10,000 clustered 64-d vectors whose
	// clusters are full-dimensional (a hard case; see TestHNSWRecall).
	EfSearch int
	// Seed draws the nodes' layers; the same vectors, options and seed build
	// the same graph, whatever Workers is.
	Seed uint64
	// Workers is the number of goroutines that build the graph and answer
	// SearchBatch; 0 means runtime.GOMAXPROCS(0).
	Workers int
}

// Default HNSW options.
const (
	DefaultM              = 16
	DefaultEfConstruction = 200
	DefaultEfSearch       = 128
)

// maxNodes is the most nodes an index holds (nodes are int32 in the links).
const maxNodes = math.MaxInt32

// maxLayer caps the layer a node may be drawn on.
const maxLayer = 16

// HNSW is an approximate cosine nearest-neighbor index: a hierarchical
// navigable small-world graph (Malkov & Yashunin, 2018, arXiv:1603.09320).
// Each vector is a node on layer 0 and, with geometrically falling
// probability, on higher layers; a search descends greedily from the top
// layer's entry point and explores layer 0 with a candidate list of size ef.
// Neighbors are chosen with the paper's heuristic (Algorithm 4), which keeps
// links that point in different directions and so keeps clustered data
// connected.
//
// The build is parallel and deterministic: nodes are inserted in batches (a
// batch is at most 1/32 of the nodes already in the graph, at most 256); the
// searches that choose a batch's neighbors run concurrently against the graph
// as it was before the batch, and the links are then applied in node order.
// So the graph depends on the vectors, the options and the seed, not on the
// number of workers or on scheduling. Nodes of one batch do not see one
// another while choosing neighbors; later insertions link them.
//
// Add inserts more vectors into a built index the same way, batch after
// batch, continuing the batch sizes and the draw of layers where the build
// left them: nothing already in the graph is rebuilt, and an index grown by
// several Adds differs from one built at once only in where batches end, so
// its recall is that of a fresh build (TestHNSWAddRecall). WriteTo and
// ReadHNSW save and load an index (see WriteTo for the format); a loaded
// index answers exactly as the saved one, and grows by Add exactly as it
// would have.
//
// An HNSW holds a unit-length copy of the vectors (4·n·dim bytes) and its
// links (about 4·2·M·n bytes). Searches are safe for concurrent use, and Add
// waits for the searches under way (and they for it).
type HNSW struct {
	mu     sync.RWMutex
	n, dim int
	unit   []float32
	opts   HNSWOptions
	// layerSource draws each new node's layer; its state is saved with the
	// index, so that Add after a load draws what it would have drawn.
	layerSource *rand.PCG
	levels      []int8
	// links[node][layer] are the node's neighbors on that layer.
	links      [][][]int32
	entry      int32
	entryLevel int

	visitedPool sync.Pool
}

// layerStream is the PCG stream of the layer draws (the seed is the other
// half of the PCG's state).
const layerStream = 0x9e3779b97f4a7c15

// NewHNSW builds an HNSW index of vectors (n rows of the same dimension; none
// may be zero or hold NaN or ±Inf). The vectors are copied.
func NewHNSW(vectors [][]float32, o HNSWOptions) (*HNSW, error) {
	if len(vectors) > maxNodes {
		return nil, fmt.Errorf("search.NewHNSW: %d vectors: more than an index holds (%d)", len(vectors), maxNodes)
	}
	unit, dim, err := normalizeRows(vectors)
	if err != nil {
		return nil, fmt.Errorf("search.NewHNSW: %w", err)
	}
	o, err = o.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("search.NewHNSW: %w", err)
	}
	h := &HNSW{dim: dim, opts: o, layerSource: rand.NewPCG(o.Seed, layerStream)}
	h.visitedPool.New = func() any { return &visited{} }
	h.insert(unit)
	return h, nil
}

// withDefaults fills in the zero fields and checks the others.
func (o HNSWOptions) withDefaults() (HNSWOptions, error) {
	if o.M == 0 {
		o.M = DefaultM
	}
	if o.EfConstruction == 0 {
		o.EfConstruction = DefaultEfConstruction
	}
	if o.EfSearch == 0 {
		o.EfSearch = DefaultEfSearch
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case o.M < 2 || o.M > maxM:
		return o, fmt.Errorf("M = %d: must be in [2, %d]", o.M, maxM)
	case o.EfConstruction < 1:
		return o, fmt.Errorf("EfConstruction = %d: must be at least 1", o.EfConstruction)
	case o.EfSearch < 1:
		return o, fmt.Errorf("EfSearch = %d: must be at least 1", o.EfSearch)
	}
	return o, nil
}

// maxM bounds M, so that a neighbor list (at most 2·M entries) stays small.
const maxM = 1 << 12

// MustNewHNSW is NewHNSW that panics on error, for notebooks.
func MustNewHNSW(vectors [][]float32, o HNSWOptions) *HNSW {
	h, err := NewHNSW(vectors, o)
	if err != nil {
		panic(err)
	}
	return h
}

// Len returns the number of indexed vectors.
func (h *HNSW) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.n
}

// Dim returns the dimension of the indexed vectors.
func (h *HNSW) Dim() int { return h.dim }

// Options returns the options the index was built with, defaults filled in.
func (h *HNSW) Options() HNSWOptions {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.opts
}

// SetEfSearch changes the candidate list size of later searches (at least 1),
// to trade query time for recall without rebuilding.
func (h *HNSW) SetEfSearch(ef int) error {
	if ef < 1 {
		return fmt.Errorf("search.HNSW.SetEfSearch: ef = %d: must be at least 1", ef)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.opts.EfSearch = ef
	return nil
}

// SetWorkers changes the number of goroutines of later Adds and SearchBatch
// calls (0 means runtime.GOMAXPROCS(0)); the graph does not depend on it.
func (h *HNSW) SetWorkers(workers int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.opts.Workers = workers
}

// Add inserts vectors (rows of the index's dimension; none may be zero or hold
// NaN or ±Inf) after those already indexed: the first gets index Len(), the
// next Len()+1, and so on. The vectors are copied. Nothing already in the graph
// is rebuilt; see HNSW for how the result compares with a fresh build. On
// error the index is unchanged.
func (h *HNSW) Add(vectors [][]float32) error {
	if len(vectors) == 0 {
		return nil
	}
	unit, dim, err := normalizeRows(vectors)
	if err != nil {
		return fmt.Errorf("search.HNSW.Add: %w", err)
	}
	if dim != h.dim {
		return fmt.Errorf("search.HNSW.Add: vectors have dimension %d, the index holds vectors of dimension %d", dim, h.dim)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if int64(h.n)+int64(len(vectors)) > maxNodes {
		return fmt.Errorf("search.HNSW.Add: %d + %d vectors: more than an index holds (%d)", h.n, len(vectors), maxNodes)
	}
	h.insert(unit)
	return nil
}

// Vector returns a copy of indexed vector i, as the index holds it: scaled to
// unit length.
func (h *HNSW) Vector(i int) []float32 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return append([]float32(nil), h.unit[i*h.dim:(i+1)*h.dim]...)
}

func (h *HNSW) row(i int32) []float32 { return h.unit[int(i)*h.dim : (int(i)+1)*h.dim] }

// maxLinks is the most neighbors a node keeps on a layer.
func (h *HNSW) maxLinks(layer int) int {
	if layer == 0 {
		return 2 * h.opts.M
	}
	return h.opts.M
}

// visited marks the nodes seen by one search; a new generation clears it.
type visited struct {
	mark []uint32
	gen  uint32
}

// getVisited takes a visited set from the pool, grown to the index's size
// (an Add may have grown the index since it was made).
func (h *HNSW) getVisited() *visited {
	v := h.visitedPool.Get().(*visited)
	if len(v.mark) < h.n {
		v.mark, v.gen = make([]uint32, h.n), 0
	}
	return v
}

func (v *visited) reset() {
	v.gen++
	if v.gen == 0 {
		clear(v.mark)
		v.gen = 1
	}
}

// candidate is a node with its similarity to the current query.
type candidate struct {
	sim  float32
	node int32
}

// compareCandidates orders candidates as hits are ordered (see rank): higher
// similarity first, then lower index.
func compareCandidates(a, b candidate) int { return rank(a.sim, a.node, b.sim, b.node) }

// closer reports whether candidate a ranks before b.
func closer(a, b candidate) bool { return compareCandidates(a, b) < 0 }

// candHeap is a binary heap of candidates; with best set, the root is the
// closest, else the farthest.
type candHeap struct {
	items []candidate
	best  bool
}

func (c *candHeap) before(i, j int) bool {
	if c.best {
		return closer(c.items[i], c.items[j])
	}
	return closer(c.items[j], c.items[i])
}

func (c *candHeap) push(x candidate) {
	c.items = append(c.items, x)
	i := len(c.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !c.before(i, p) {
			break
		}
		c.items[i], c.items[p] = c.items[p], c.items[i]
		i = p
	}
}

func (c *candHeap) pop() candidate {
	top := c.items[0]
	last := len(c.items) - 1
	c.items[0] = c.items[last]
	c.items = c.items[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && c.before(r, l) {
			m = r
		}
		if !c.before(m, i) {
			break
		}
		c.items[i], c.items[m] = c.items[m], c.items[i]
		i = m
	}
	return top
}

// searchLayer explores one layer from the entry candidates and returns up to
// ef closest nodes found, closest first (the paper's Algorithm 2).
func (h *HNSW) searchLayer(q []float32, entries []candidate, ef, layer int, vis *visited) []candidate {
	vis.reset()
	toVisit := candHeap{best: true}
	found := candHeap{best: false}
	for _, e := range entries {
		vis.mark[e.node] = vis.gen
		toVisit.push(e)
		found.push(e)
		if len(found.items) > ef {
			found.pop()
		}
	}
	for len(toVisit.items) > 0 {
		c := toVisit.pop()
		if len(found.items) >= ef && closer(found.items[0], c) {
			break
		}
		for _, nb := range h.links[c.node][layer] {
			if vis.mark[nb] == vis.gen {
				continue
			}
			vis.mark[nb] = vis.gen
			s := vec.Dot(q, h.row(nb))
			cand := candidate{sim: s, node: nb}
			if len(found.items) < ef || closer(cand, found.items[0]) {
				toVisit.push(cand)
				found.push(cand)
				if len(found.items) > ef {
					found.pop()
				}
			}
		}
	}
	out := found.items
	slices.SortFunc(out, compareCandidates)
	return out
}

// greedy descends from the entry point through the layers above stopLayer,
// moving to the closest neighbor while it improves, and returns the node
// reached on the layer just above stopLayer.
func (h *HNSW) greedy(q []float32, entry int32, fromLayer, stopLayer int) candidate {
	cur := candidate{sim: vec.Dot(q, h.row(entry)), node: entry}
	for layer := fromLayer; layer > stopLayer; layer-- {
		for changed := true; changed; {
			changed = false
			for _, nb := range h.links[cur.node][layer] {
				c := candidate{sim: vec.Dot(q, h.row(nb)), node: nb}
				if closer(c, cur) {
					cur, changed = c, true
				}
			}
		}
	}
	return cur
}

// selectNeighbors keeps up to m of the candidates (sorted closest first) by
// the paper's heuristic (Algorithm 4): a candidate is kept only when it is
// closer to the base than to every candidate already kept.
func (h *HNSW) selectNeighbors(cands []candidate, m int) []int32 {
	if len(cands) <= m {
		out := make([]int32, len(cands))
		for i, c := range cands {
			out[i] = c.node
		}
		return out
	}
	kept := make([]int32, 0, m)
	for _, c := range cands {
		good := true
		cr := h.row(c.node)
		for _, k := range kept {
			if vec.Dot(cr, h.row(k)) > c.sim {
				good = false
				break
			}
		}
		if good {
			kept = append(kept, c.node)
			if len(kept) == m {
				break
			}
		}
	}
	return kept
}

// pending is the outcome of a batch node's search phase: its neighbors on
// each of its layers up to the graph's top layer before the batch.
type pending struct {
	neighbors [][]int32
}

// insert appends the unit vectors (flat, rows of h.dim) as new nodes, draws
// their layers, and links them into the graph in batches (see HNSW). A batch
// holds at most 1/32 of the nodes already in the graph and at most 256, and
// ends where the new nodes end.
func (h *HNSW) insert(unit []float32) {
	rng := rand.New(h.layerSource)
	mult := 1 / math.Log(float64(h.opts.M))
	first := h.n
	h.unit = append(h.unit, unit...)
	h.n += len(unit) / h.dim
	for range h.n - first {
		l := int(-math.Log(1-rng.Float64()) * mult)
		level := int8(min(l, maxLayer))
		nodeLinks := make([][]int32, level+1)
		for layer := range nodeLinks {
			nodeLinks[layer] = make([]int32, 0, h.maxLinks(layer))
		}
		h.levels = append(h.levels, level)
		h.links = append(h.links, nodeLinks)
	}
	start := first
	if first == 0 {
		h.entry, h.entryLevel = 0, int(h.levels[0])
		start = 1
	}
	results := make([]pending, 0, 256)
	for start < h.n {
		size := min(max(1, start/32), 256, h.n-start)
		results = results[:size]
		h.parallel(size, func(j int, vis *visited) {
			results[j] = h.insertSearch(int32(start+j), vis)
		})
		h.applyBatch(start, results)
		start += size
	}
}

// parallel runs fn(j) for j in [0, count) on the workers, each with its own
// visited set.
func (h *HNSW) parallel(count int, fn func(j int, vis *visited)) {
	workers := max(1, min(h.opts.Workers, count))
	parallel.Workers(workers, func(w int) {
		vis := h.getVisited()
		for j := w; j < count; j += workers {
			fn(j, vis)
		}
		h.visitedPool.Put(vis)
	})
}

// insertSearch chooses node i's neighbors in the current graph (read only).
func (h *HNSW) insertSearch(i int32, vis *visited) pending {
	q := h.row(i)
	level := int(h.levels[i])
	top := min(level, h.entryLevel)
	cur := h.greedy(q, h.entry, h.entryLevel, top)
	entries := []candidate{cur}
	p := pending{neighbors: make([][]int32, top+1)}
	for layer := top; layer >= 0; layer-- {
		cands := h.searchLayer(q, entries, h.opts.EfConstruction, layer, vis)
		p.neighbors[layer] = h.selectNeighbors(cands, h.opts.M)
		entries = cands
	}
	return p
}

// backLink is one link to add from an existing node to a new one.
type backLink struct {
	from  int32
	layer int
	to    int32
}

// applyBatch writes the batch's links, in node order: each new node's own
// neighbor lists, then the links back from its neighbors, pruned by the
// heuristic where a list overflows. Lists of different nodes are independent,
// so the pruning runs in parallel with a result that does not depend on it.
func (h *HNSW) applyBatch(start int, results []pending) {
	var backs []backLink
	for j, p := range results {
		i := int32(start + j)
		for layer, nbs := range p.neighbors {
			h.links[i][layer] = append(h.links[i][layer], nbs...)
			for _, nb := range nbs {
				backs = append(backs, backLink{from: nb, layer: layer, to: i})
			}
		}
	}
	for j := range results {
		i := int32(start + j)
		if int(h.levels[i]) > h.entryLevel {
			h.entry, h.entryLevel = i, int(h.levels[i])
		}
	}
	slices.SortStableFunc(backs, func(a, b backLink) int {
		if a.from != b.from {
			return int(a.from - b.from)
		}
		return a.layer - b.layer
	})
	var groups [][]backLink
	for s := 0; s < len(backs); {
		e := s + 1
		for e < len(backs) && backs[e].from == backs[s].from && backs[e].layer == backs[s].layer {
			e++
		}
		groups = append(groups, backs[s:e])
		s = e
	}
	h.parallel(len(groups), func(g int, _ *visited) {
		grp := groups[g]
		from, layer := grp[0].from, grp[0].layer
		list := h.links[from][layer]
		for _, b := range grp {
			list = append(list, b.to)
		}
		if limit := h.maxLinks(layer); len(list) > limit {
			base := h.row(from)
			cands := make([]candidate, len(list))
			for c, nb := range list {
				cands[c] = candidate{sim: vec.Dot(base, h.row(nb)), node: nb}
			}
			slices.SortFunc(cands, compareCandidates)
			list = append(list[:0], h.selectNeighbors(cands, limit)...)
		}
		h.links[from][layer] = list
	})
}

// Search returns approximately the k indexed vectors most similar to query by
// cosine similarity, best first, exploring layer 0 with a candidate list of
// max(EfSearch, k). Scores are exact cosine similarities of the hits found.
func (h *HNSW) Search(query []float32, k int) ([]Hit, error) {
	q, err := normalizeQuery(query, h.dim)
	if err != nil {
		return nil, fmt.Errorf("search.HNSW: %w", err)
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if err := checkK(k, h.n); err != nil {
		return nil, fmt.Errorf("search.HNSW: %w", err)
	}
	vis := h.getVisited()
	defer h.visitedPool.Put(vis)
	return h.search(q, k, vis), nil
}

// MustSearch is Search that panics on error, for notebooks.
func (h *HNSW) MustSearch(query []float32, k int) []Hit {
	hits, err := h.Search(query, k)
	if err != nil {
		panic(err)
	}
	return hits
}

func (h *HNSW) search(q []float32, k int, vis *visited) []Hit {
	cur := h.greedy(q, h.entry, h.entryLevel, 0)
	cands := h.searchLayer(q, []candidate{cur}, max(h.opts.EfSearch, k), 0, vis)
	hits := make([]Hit, min(k, len(cands)))
	for i := range hits {
		hits[i] = Hit{Index: int(cands[i].node), Score: cands[i].sim}
	}
	return hits
}

// SearchBatch answers several queries, split over the workers: result i holds
// the hits of queries[i], as Search would return them.
func (h *HNSW) SearchBatch(queries [][]float32, k int) ([][]Hit, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if err := checkK(k, h.n); err != nil {
		return nil, fmt.Errorf("search.HNSW: %w", err)
	}
	qs := make([][]float32, len(queries))
	for i, query := range queries {
		q, err := normalizeQuery(query, h.dim)
		if err != nil {
			return nil, fmt.Errorf("search.HNSW: query %d: %w", i, err)
		}
		qs[i] = q
	}
	out := make([][]Hit, len(qs))
	h.parallel(len(qs), func(j int, vis *visited) { out[j] = h.search(qs[j], k, vis) })
	return out, nil
}
