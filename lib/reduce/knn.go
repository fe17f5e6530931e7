package reduce

import (
	"fmt"
	"math"
)

// knnSelf returns, for every point, itself followed by its k−1 nearest other points
// (ties broken by lower index) and their distances: Euclidean, or cosine distance
// 1 − cos θ when cosine is set. Rows of the results are k long.
func knnSelf(m *matrix, k int, cosine bool) ([]int32, []float64) {
	if cosine {
		m = normalizedRows(m)
	}
	n := m.n
	norms := rowSqNorms(m)
	idx := make([]int32, n*k)
	dist := make([]float64, n*k)
	const block = 128
	parallelBlocks(n, block, func(lo, hi int) {
		buf := make([]float64, (hi-lo)*n)
		sqDistBlock(m, norms, lo, hi, buf)
		h := make(nnHeap, 0, k-1)
		for i := lo; i < hi; i++ {
			row := buf[(i-lo)*n : (i-lo+1)*n]
			h = h[:0]
			for j, dj := range row {
				if j == i {
					continue
				}
				h.offer(k-1, dj, int32(j))
			}
			h.sortAscending()
			idx[i*k], dist[i*k] = int32(i), 0
			for t, e := range h {
				idx[i*k+1+t] = e.j
				if cosine {
					dist[i*k+1+t] = e.d / 2
				} else {
					dist[i*k+1+t] = math.Sqrt(e.d)
				}
			}
		}
	})
	return idx, dist
}

// normalizedRows returns m with every row scaled to unit length; all-zero rows stay
// zero (their cosine distance to anything is then 1).
func normalizedRows(m *matrix) *matrix {
	out := &matrix{n: m.n, d: m.d, v: make([]float64, len(m.v))}
	for i := 0; i < m.n; i++ {
		r, o := m.row(i), out.row(i)
		s := 0.0
		for _, v := range r {
			s += v * v
		}
		if s > 0 {
			s = 1 / math.Sqrt(s)
		}
		for j, v := range r {
			o[j] = v * s
		}
	}
	return out
}

func checkNoZeroRows(what string, m *matrix) error {
	for i := 0; i < m.n; i++ {
		zero := true
		for _, v := range m.row(i) {
			if v != 0 {
				zero = false
				break
			}
		}
		if zero {
			return fmt.Errorf("%s: point %d is all zeros, its cosine distance is undefined", what, i)
		}
	}
	return nil
}

type nnEntry struct {
	d float64
	j int32
}

// less orders by distance, then index.
func (a nnEntry) less(b nnEntry) bool { return a.d < b.d || (a.d == b.d && a.j < b.j) }

// nnHeap keeps the k smallest entries offered, as a max-heap on (distance, index).
type nnHeap []nnEntry

func (h *nnHeap) offer(k int, d float64, j int32) {
	e := nnEntry{d, j}
	s := *h
	if len(s) < k {
		s = append(s, e)
		for c := len(s) - 1; c > 0; {
			p := (c - 1) / 2
			if !s[p].less(s[c]) {
				break
			}
			s[p], s[c] = s[c], s[p]
			c = p
		}
		*h = s
		return
	}
	if k == 0 || !e.less(s[0]) {
		return
	}
	s[0] = e
	s.down(0, len(s))
}

func (s nnHeap) down(p, n int) {
	for {
		c := 2*p + 1
		if c >= n {
			return
		}
		if c+1 < n && s[c].less(s[c+1]) {
			c++
		}
		if !s[p].less(s[c]) {
			return
		}
		s[p], s[c] = s[c], s[p]
		p = c
	}
}

// sortAscending heap-sorts in place, nearest first.
func (s nnHeap) sortAscending() {
	for end := len(s) - 1; end > 0; end-- {
		s[0], s[end] = s[end], s[0]
		s.down(0, end)
	}
}
