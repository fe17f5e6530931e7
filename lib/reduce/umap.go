package reduce

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Metric is how distances are measured between high-dimensional points.
type Metric int

const (
	// Euclidean is the straight-line distance ‖a − b‖.
	Euclidean Metric = iota
	// Cosine is 1 − cos θ between the two vectors: direction only, length ignored; common
	// for embeddings. Points that are all zeros are an error.
	Cosine
)

func (m Metric) String() string {
	switch m {
	case Euclidean:
		return "euclidean"
	case Cosine:
		return "cosine"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Init is how a layout starts before its gradient descent.
type Init int

const (
	// InitDefault is each method's default: InitSpectral for UMAP, InitPCA for t-SNE.
	InitDefault Init = iota
	// InitSpectral starts from the eigenvectors of the k-NN graph's normalised Laplacian
	// (UMAP only).
	InitSpectral
	// InitPCA starts from the first principal components.
	InitPCA
	// InitRandom starts from seeded random positions.
	InitRandom
)

func (i Init) String() string {
	switch i {
	case InitDefault:
		return "default"
	case InitSpectral:
		return "spectral"
	case InitPCA:
		return "pca"
	case InitRandom:
		return "random"
	}
	return fmt.Sprintf("Init(%d)", int(i))
}

// UMAPOptions configures [UMAP]. Zero values take umap-learn's defaults.
type UMAPOptions struct {
	// Components is the layout's dimension; 0 means 2.
	Components int
	// Neighbors is the size of each point's neighbourhood, itself included (umap-learn's
	// n_neighbors); 0 means 15. Small values keep fine local detail, large ones more of
	// the global arrangement.
	Neighbors int
	// MinDist is how close points may pack in the layout, in layout units; 0 means 0.1.
	// (For a true zero pass a tiny value such as 1e-9.)
	MinDist float64
	// Spread is the layout's scale of clusters, in layout units; 0 means 1.
	Spread float64
	// Epochs is the number of passes of gradient descent; 0 means 500 for up to 10,000
	// points and 200 above, as umap-learn.
	Epochs int
	// Metric measures high-dimensional distances; the default is Euclidean.
	Metric Metric
	// Init is the starting layout; the default is InitSpectral.
	Init Init
	// Seed makes the layout reproducible: the same seed gives the same layout bit for bit.
	Seed uint64
	// NegativeSampleRate is how many random non-neighbours push each sampled point away
	// per attraction; 0 means 5.
	NegativeSampleRate int
	// LearningRate is the initial step size, decayed linearly to 0; 0 means 1.
	LearningRate float64
}

// withDefaults returns o with its zero fields filled in for n points (the
// defaults its fields' comments give), and an error for values out of range.
func (o UMAPOptions) withDefaults(n int) (UMAPOptions, error) {
	if o.Components == 0 {
		o.Components = 2
	}
	if o.Neighbors == 0 {
		o.Neighbors = 15
	}
	if o.MinDist == 0 {
		o.MinDist = 0.1
	}
	if o.Spread == 0 {
		o.Spread = 1
	}
	if o.Epochs == 0 {
		o.Epochs = 500
		if n > 10000 {
			o.Epochs = 200
		}
	}
	if o.NegativeSampleRate == 0 {
		o.NegativeSampleRate = 5
	}
	if o.LearningRate == 0 {
		o.LearningRate = 1
	}
	switch {
	case o.Components < 1:
		return o, fmt.Errorf("UMAP: %d components: want at least 1", o.Components)
	case o.Neighbors < 2:
		return o, fmt.Errorf("UMAP: %d neighbours: want at least 2", o.Neighbors)
	case n <= o.Neighbors:
		return o, fmt.Errorf("UMAP with %d neighbours needs more than %d points, got %d", o.Neighbors, o.Neighbors, n)
	case n <= o.Components+1:
		return o, fmt.Errorf("UMAP: %d points are too few for a %d-dimensional layout", n, o.Components)
	case o.Epochs < 1:
		return o, fmt.Errorf("UMAP: %d epochs: want at least 1", o.Epochs)
	case o.NegativeSampleRate < 0:
		return o, fmt.Errorf("UMAP: negative sample rate %d: want at least 0", o.NegativeSampleRate)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0):
		return o, fmt.Errorf("UMAP: learning rate %v: want a positive number", o.LearningRate)
	case o.Metric != Euclidean && o.Metric != Cosine:
		return o, fmt.Errorf("UMAP: unknown metric %v", o.Metric)
	case o.Init < InitDefault || o.Init > InitRandom:
		return o, fmt.Errorf("UMAP: unknown init %v", o.Init)
	}
	return o, nil
}

// UMAP lays out x (n points × d dimensions) in o.Components dimensions so that points
// that are near neighbours in x stay near, following McInnes, Healy & Melville (2018)
// and umap-learn 0.5's defaults (see the package documentation). It returns one row of
// coordinates per point. The k-NN search is exact (O(n²·d)).
func UMAP(x [][]float32, o UMAPOptions) ([][]float64, error) {
	m, err := fromRows("UMAP input", x)
	if err != nil {
		return nil, err
	}
	o, err = o.withDefaults(m.n)
	if err != nil {
		return nil, err
	}
	if o.Metric == Cosine {
		if err := checkNoZeroRows("UMAP input", m); err != nil {
			return nil, err
		}
	}
	a, b, err := FindAB(o.Spread, o.MinDist)
	if err != nil {
		return nil, err
	}
	n, dim := m.n, o.Components
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed_0f_0a4a9))

	idx, dist := knnSelf(m, o.Neighbors, o.Metric == Cosine)
	g := fuzzySimplicialSet(idx, dist, n, o.Neighbors)
	// Edges too weak to be sampled even once in Epochs are dropped, as umap-learn does.
	wmax := 0.0
	for _, w := range g.w {
		wmax = max(wmax, w)
	}
	pruned := &csr{n: n, rowPtr: make([]int, n+1)}
	for i := 0; i < n; i++ {
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			if g.w[p] >= wmax/float64(o.Epochs) {
				pruned.col = append(pruned.col, g.col[p])
				pruned.w = append(pruned.w, g.w[p])
			}
		}
		pruned.rowPtr[i+1] = len(pruned.col)
	}
	g = pruned

	var emb []float64
	switch o.Init {
	case InitDefault, InitSpectral:
		emb = spectralLayout(g, m, dim, rng)
		scaleNoisy(emb, 10, rng)
	case InitPCA:
		p, err := pcaFit(m, PCAOptions{Components: dim})
		if err != nil {
			return nil, fmt.Errorf("UMAP: PCA initialisation: %w", err)
		}
		emb = p.transform(m)
		scaleNoisy(emb, 10, rng)
	case InitRandom:
		emb = make([]float64, n*dim)
		for i := range emb {
			emb[i] = rng.Float64()*20 - 10
		}
	}
	// Every coordinate to [0, 10], umap-learn's starting scale for the descent.
	for c := 0; c < dim; c++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			lo, hi = min(lo, emb[i*dim+c]), max(hi, emb[i*dim+c])
		}
		for i := 0; i < n; i++ {
			if hi > lo {
				emb[i*dim+c] = 10 * (emb[i*dim+c] - lo) / (hi - lo)
			} else {
				emb[i*dim+c] = 0
			}
		}
	}
	optimizeLayout(emb, g, dim, a, b, o, rng)
	return toRows(emb, n, dim), nil
}

// MustUMAP is UMAP for notebooks: it panics on error.
func MustUMAP(x [][]float32, o UMAPOptions) [][]float64 {
	y, err := UMAP(x, o)
	if err != nil {
		panic(err)
	}
	return y
}

// scaleNoisy scales emb so its largest magnitude is maxCoord, then adds Gaussian noise
// of standard deviation 1e-4 (umap-learn's noisy_scale_coords), so that no two points
// start at exactly the same place.
func scaleNoisy(emb []float64, maxCoord float64, rng *rand.Rand) {
	big := 0.0
	for _, v := range emb {
		big = max(big, math.Abs(v))
	}
	for i := range emb {
		if big > 0 {
			emb[i] *= maxCoord / big
		}
		emb[i] += 1e-4 * rng.NormFloat64()
	}
}

// spectralLayout is the spectral initialisation. A connected graph gets the Laplacian
// eigenvectors directly. A graph in several pieces (well-separated clusters) gets, as in
// umap-learn's multi_component_layout, one position per piece — here the PCA of the
// pieces' centroids in the input space (umap-learn uses a spectral embedding of them) —
// and each piece's own spectral layout around it, scaled to half the distance to the
// nearest other piece. Pieces too small for an eigen-decomposition are placed at random
// within that radius.
func spectralLayout(g *csr, m *matrix, dim int, rng *rand.Rand) []float64 {
	labels, count := g.components()
	if count == 1 {
		return spectralEmbed(g, dim, rng)
	}
	n := g.n
	members := make([][]int, count)
	for i, l := range labels {
		members[l] = append(members[l], i)
	}
	// Meta layout: centroids → PCA → max |coord| 1.
	cent := &matrix{n: count, d: m.d, v: make([]float64, count*m.d)}
	for l, ms := range members {
		row := cent.row(l)
		for _, i := range ms {
			for j, v := range m.row(i) {
				row[j] += v
			}
		}
		for j := range row {
			row[j] /= float64(len(ms))
		}
	}
	meta := make([]float64, count*dim)
	if count > dim {
		if p, err := pcaFit(cent, PCAOptions{Components: min(dim, count, m.d)}); err == nil {
			k := p.components.n
			t := p.transform(cent)
			for l := 0; l < count; l++ {
				for c := 0; c < k; c++ {
					meta[l*dim+c] = t[l*k+c]
				}
			}
		}
	}
	big := 0.0
	for _, v := range meta {
		big = max(big, math.Abs(v))
	}
	if big == 0 { // too few pieces for PCA, or all centroids equal: corners of a simplex
		for l := 0; l < count; l++ {
			c := (l / 2) % dim
			meta[l*dim+c] = 1 - 2*float64(l%2)
		}
		big = 1
	}
	for i := range meta {
		meta[i] /= big
	}
	out := make([]float64, n*dim)
	for l, ms := range members {
		radius := math.Inf(1)
		for o := 0; o < count; o++ {
			s := 0.0
			for c := 0; c < dim; c++ {
				e := meta[l*dim+c] - meta[o*dim+c]
				s += e * e
			}
			if s > 0 {
				radius = min(radius, math.Sqrt(s)/2)
			}
		}
		if math.IsInf(radius, 1) {
			radius = 1
		}
		if len(ms) < 2*dim || len(ms) <= dim+1 {
			for _, i := range ms {
				for c := 0; c < dim; c++ {
					out[i*dim+c] = meta[l*dim+c] + radius*(2*rng.Float64()-1)
				}
			}
			continue
		}
		sub := spectralEmbed(g.subgraph(ms, labels), dim, rng)
		big := 0.0
		for _, v := range sub {
			big = max(big, math.Abs(v))
		}
		for t, i := range ms {
			for c := 0; c < dim; c++ {
				v := sub[t*dim+c]
				if big > 0 {
					v *= radius / big
				}
				out[i*dim+c] = meta[l*dim+c] + v
			}
		}
	}
	return out
}

// optimizeLayout is UMAP's stochastic gradient descent: each edge is sampled in
// proportion to its weight (every epochsPerSample epochs), pulls its two ends together
// with the gradient of log(1/(1 + a·d^(2b))), and pushes its head away from
// NegativeSampleRate random points; every gradient component is clipped to ±4 and the
// learning rate decays linearly to 0.
func optimizeLayout(emb []float64, g *csr, dim int, a, b float64, o UMAPOptions, rng *rand.Rand) {
	n := g.n
	ne := len(g.col)
	head := make([]int32, ne)
	for i := 0; i < n; i++ {
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			head[p] = int32(i)
		}
	}
	tail := g.col
	wmax := 0.0
	for _, w := range g.w {
		wmax = max(wmax, w)
	}
	epochs := float64(o.Epochs)
	perSample := make([]float64, ne)
	for p, w := range g.w {
		if s := epochs * w / wmax; s > 0 {
			perSample[p] = epochs / s
		} else {
			perSample[p] = -1
		}
	}
	negRate := float64(o.NegativeSampleRate)
	perNeg := make([]float64, ne)
	nextSample := make([]float64, ne)
	nextNeg := make([]float64, ne)
	for p := range perSample {
		perNeg[p] = perSample[p] / negRate
		nextSample[p] = perSample[p]
		nextNeg[p] = perNeg[p]
	}
	pw := newPowTable(b)
	const clip = 4.0
	clamp := func(v float64) float64 {
		if v > clip {
			return clip
		}
		if v < -clip {
			return -clip
		}
		return v
	}
	alpha := o.LearningRate
	for epoch := 0; epoch < o.Epochs; epoch++ {
		ef := float64(epoch)
		for p := 0; p < ne; p++ {
			if nextSample[p] > ef {
				continue
			}
			j, k := int(head[p]), int(tail[p])
			cur := emb[j*dim : (j+1)*dim]
			oth := emb[k*dim : (k+1)*dim]
			d2 := 0.0
			for c := range cur {
				e := cur[c] - oth[c]
				d2 += e * e
			}
			coef := 0.0
			if d2 > 0 {
				pb := pw.pow(d2)
				coef = -2 * a * b * pb / d2 / (a*pb + 1)
			}
			for c := range cur {
				gr := clamp(coef * (cur[c] - oth[c]))
				cur[c] += gr * alpha
				oth[c] -= gr * alpha
			}
			nextSample[p] += perSample[p]
			if negRate == 0 {
				continue
			}
			nNeg := int((ef - nextNeg[p]) / perNeg[p])
			for s := 0; s < nNeg; s++ {
				k := rng.IntN(n)
				if k == j {
					continue
				}
				oth := emb[k*dim : (k+1)*dim]
				d2 := 0.0
				for c := range cur {
					e := cur[c] - oth[c]
					d2 += e * e
				}
				if d2 > 0 {
					pb := pw.pow(d2)
					coef := 2 * b / ((0.001 + d2) * (a*pb + 1))
					for c := range cur {
						cur[c] += clamp(coef*(cur[c]-oth[c])) * alpha
					}
				} else {
					for c := range cur {
						cur[c] += clip * alpha
					}
				}
			}
			nextNeg[p] += float64(nNeg) * perNeg[p]
		}
		alpha = o.LearningRate * (1 - float64(epoch)/epochs)
	}
}
