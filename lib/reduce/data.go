package reduce

import (
	"fmt"
	"runtime"
	"sync"
)

// matrix is a dense row-major n×d matrix of float64.
type matrix struct {
	n, d int
	v    []float64
}

func (m *matrix) row(i int) []float64 { return m.v[i*m.d : (i+1)*m.d] }

// fromRows copies x into a matrix, checking that it is rectangular, non-empty and
// finite. what names the argument in errors ("UMAP input").
func fromRows[T float32 | float64](what string, x [][]T) (*matrix, error) {
	n, d, err := checkRows(what, x)
	if err != nil {
		return nil, err
	}
	m := &matrix{n: n, d: d, v: make([]float64, n*d)}
	for i, r := range x {
		row := m.v[i*d : (i+1)*d]
		for j, f := range r {
			row[j] = float64(f)
		}
	}
	return m, nil
}

// Float32 returns a layout's coordinates (t-SNE's, UMAP's, PCA's: float64) as float32
// rows, the type lib/cluster and lib/search take, so that a map can be clustered or
// searched. Each row is a new slice of the same length.
func Float32(points [][]float64) [][]float32 {
	out := make([][]float32, len(points))
	for i, p := range points {
		out[i] = make([]float32, len(p))
		for j, v := range p {
			out[i][j] = float32(v)
		}
	}
	return out
}

// toRows splits a flat n×d slice into rows that share its memory.
func toRows(v []float64, n, d int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = v[i*d : (i+1)*d : (i+1)*d]
	}
	return out
}

// parallelFor calls body on consecutive chunks [lo, hi) of [0, n), at most one chunk per
// core. Each index belongs to exactly one chunk whatever the core count, so as long as
// body only writes to outputs indexed by its own range the result is deterministic.
func parallelFor(n int, body func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		if n > 0 {
			body(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			body(lo, hi)
		}()
	}
	wg.Wait()
}

// parallelBlocks runs body on blocks [lo, hi) of size at most block, handing blocks to
// workers from a shared counter. Which worker runs a block varies, so body must write
// only outputs indexed by its block.
func parallelBlocks(n, block int, body func(lo, hi int)) {
	blocks := (n + block - 1) / block
	workers := min(runtime.GOMAXPROCS(0), blocks)
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				b := next
				next++
				mu.Unlock()
				if b >= blocks {
					return
				}
				body(b*block, min((b+1)*block, n))
			}
		}()
	}
	wg.Wait()
}

// checkRows checks that x is rectangular, non-empty and finite, and returns its shape,
// without copying it.
func checkRows[T float32 | float64](what string, x [][]T) (n, d int, err error) {
	if len(x) == 0 {
		return 0, 0, fmt.Errorf("%s: no points", what)
	}
	d = len(x[0])
	if d == 0 {
		return 0, 0, fmt.Errorf("%s: point 0 has no values", what)
	}
	for i, r := range x {
		if len(r) != d {
			return 0, 0, fmt.Errorf("%s: point %d has %d values, point 0 has %d", what, i, len(r), d)
		}
		for j, f := range r {
			if f-f != 0 { // NaN or ±Inf
				return 0, 0, fmt.Errorf("%s: point %d value %d is %v", what, i, j, f)
			}
		}
	}
	return len(x), d, nil
}
