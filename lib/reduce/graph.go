package reduce

import (
	"math"
	"slices"
)

// csr is a sparse symmetric weighted graph in compressed sparse row form.
type csr struct {
	n      int
	rowPtr []int
	col    []int32
	w      []float64
}

// smoothKNNDist finds, for every point, rho (the distance to its nearest non-identical
// neighbour) and sigma such that Σ_{j≥1} exp(−max(0, dⱼ − rho)/sigma) = log2(k): the
// per-point scale that makes every point's fuzzy neighbourhood equally "large" (UMAP
// paper, §3.1; local connectivity 1). dist holds k distances per point, self first.
func smoothKNNDist(dist []float64, n, k int) (rho, sigma []float64) {
	const (
		tolerance = 1e-5
		minScale  = 1e-3
		iters     = 64
	)
	target := math.Log2(float64(k))
	rho = make([]float64, n)
	sigma = make([]float64, n)
	mean := 0.0
	for _, d := range dist {
		mean += d
	}
	mean /= float64(len(dist))
	for i := 0; i < n; i++ {
		row := dist[i*k : (i+1)*k]
		for _, d := range row {
			if d > 0 {
				rho[i] = d // the first (smallest) non-zero distance
				break
			}
		}
		lo, hi, mid := 0.0, math.Inf(1), 1.0
		for it := 0; it < iters; it++ {
			psum := 0.0
			for _, d := range row[1:] {
				if e := d - rho[i]; e > 0 {
					psum += math.Exp(-e / mid)
				} else {
					psum++
				}
			}
			if math.Abs(psum-target) < tolerance {
				break
			}
			if psum > target {
				hi = mid
				mid = (lo + hi) / 2
			} else {
				lo = mid
				if math.IsInf(hi, 1) {
					mid *= 2
				} else {
					mid = (lo + hi) / 2
				}
			}
		}
		sigma[i] = mid
		if rho[i] > 0 {
			rowMean := 0.0
			for _, d := range row {
				rowMean += d
			}
			rowMean /= float64(k)
			sigma[i] = max(sigma[i], minScale*rowMean)
		} else {
			sigma[i] = max(sigma[i], minScale*mean)
		}
	}
	return rho, sigma
}

// fuzzySimplicialSet turns k-NN lists (self first) into UMAP's symmetric fuzzy graph:
// directed memberships exp(−(d − rho)/sigma), then the fuzzy union w + wᵀ − w∘wᵀ.
func fuzzySimplicialSet(idx []int32, dist []float64, n, k int) *csr {
	rho, sigma := smoothKNNDist(dist, n, k)
	entries := make([]coo, 0, 2*n*(k-1))
	for i := 0; i < n; i++ {
		for t := 0; t < k; t++ {
			j := int(idx[i*k+t])
			if j == i {
				continue
			}
			var w float64
			if e := dist[i*k+t] - rho[i]; e <= 0 || sigma[i] == 0 {
				w = 1
			} else {
				w = math.Exp(-e / sigma[i])
			}
			if w != 0 {
				entries = append(entries, coo{i, j, w})
			}
		}
	}
	return symmetrize(n, entries, func(a, b float64) float64 { return a + b - a*b })
}

// coo is one directed edge i → j of weight w.
type coo struct {
	i, j int
	w    float64
}

// symmetrize builds the graph W ∘ Wᵀ from directed edges: an edge present both ways gets
// both(w_ij, w_ji), an edge present one way keeps its weight (both is symmetric, and
// must give w for both(w, 0)).
func symmetrize(n int, edges []coo, both func(a, b float64) float64) *csr {
	type entry struct {
		key int64
		w   float64
	}
	entries := make([]entry, 0, 2*len(edges))
	for _, e := range edges {
		entries = append(entries, entry{int64(e.i)*int64(n) + int64(e.j), e.w}, entry{int64(e.j)*int64(n) + int64(e.i), e.w})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		case a.w < b.w:
			return -1
		case a.w > b.w:
			return 1
		}
		return 0
	})
	g := &csr{n: n, rowPtr: make([]int, n+1)}
	for t := 0; t < len(entries); {
		e := entries[t]
		w := e.w
		if t+1 < len(entries) && entries[t+1].key == e.key {
			w = both(w, entries[t+1].w)
			t += 2
		} else {
			t++
		}
		g.col = append(g.col, int32(e.key%int64(n)))
		g.w = append(g.w, w)
		g.rowPtr[e.key/int64(n)+1]++
	}
	for i := 0; i < n; i++ {
		g.rowPtr[i+1] += g.rowPtr[i]
	}
	return g
}

// components labels the connected components of g, in order of their lowest point.
func (g *csr) components() (labels []int, count int) {
	labels = make([]int, g.n)
	for i := range labels {
		labels[i] = -1
	}
	stack := []int{}
	for s := 0; s < g.n; s++ {
		if labels[s] >= 0 {
			continue
		}
		labels[s] = count
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
				if j := int(g.col[p]); labels[j] < 0 && g.w[p] > 0 {
					labels[j] = count
					stack = append(stack, j)
				}
			}
		}
		count++
	}
	return labels, count
}

// subgraph keeps the points listed in members (ascending), renumbered 0…len−1.
func (g *csr) subgraph(members []int, labels []int) *csr {
	local := make(map[int]int32, len(members))
	for t, i := range members {
		local[i] = int32(t)
	}
	s := &csr{n: len(members), rowPtr: make([]int, len(members)+1)}
	for t, i := range members {
		for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
			if l, ok := local[int(g.col[p])]; ok {
				s.col = append(s.col, l)
				s.w = append(s.w, g.w[p])
			}
		}
		s.rowPtr[t+1] = len(s.col)
	}
	return s
}
