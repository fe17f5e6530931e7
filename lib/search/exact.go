package search

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Engine says where Exact computes the similarities of queries.
//
// Measured on 2 cores with the pure-Go GoMLX engine (lib/cmd/benchsearch,
// RESULTS.md there; 100,000 × 128 database, quiet machine), both paths run
// the same matrix-product kernel (lib/internal/gemm) and take about the same
// time: one query 2.9 ms on the Go path and 2.7 ms on the engine, a batch of
// 100 0.32 and 0.72 ms per query. EngineGo is the default: it needs no copy
// of the database on the engine and no compilation on first use.
// EngineGoMLX is there for engines with faster matrix products (XLA, not
// measured here) and for comparison.
type Engine int

const (
	// EngineGo scores queries against the database with float32 matrix
	// products in Go (lib/internal/gemm), split over the workers by
	// ranges of database rows. The default.
	EngineGo Engine = iota
	// EngineGoMLX scores up to 256 queries at a time with one matrix product
	// on the GoMLX engine (lib/backend; the database is moved onto it on first
	// use), then selects the top k in Go.
	EngineGoMLX
)

// engineChunk is the most queries sent to the engine in one matrix product,
// which bounds the score matrix at engineChunk × n float32 values.
const engineChunk = 256

// ExactOptions configures an Exact index. The zero value is ready to use.
type ExactOptions struct {
	// Workers is the number of goroutines of the Go loop and of the top-k
	// selection; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Engine chooses where queries are scored (default EngineGo).
	Engine Engine
	// Backend is the GoMLX engine for EngineGoMLX; nil means lib/backend's
	// choice (backend.New), made on first use.
	Backend backends.Backend
}

// Exact answers cosine top-k queries by comparing the query with every indexed
// vector: the reference that approximate indexes are measured against. It
// holds a unit-length copy of the vectors (4·n·dim bytes) and, with
// EngineGoMLX, the engine's copy of them (another 4·n·dim bytes).
// It is safe for concurrent use.
type Exact struct {
	n, dim int
	unit   []float32
	opts   ExactOptions

	engineOnce sync.Once
	engineErr  error
	db         *tensors.Tensor
	scoresExec *graph.Exec
	engineMu   sync.Mutex
}

// withDefaults returns o with its zero fields set to their documented defaults.
func (o ExactOptions) withDefaults() ExactOptions {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// NewExact indexes vectors (n rows of the same dimension; none may be zero or
// hold NaN or ±Inf) for exact cosine search. The vectors are copied.
func NewExact(vectors [][]float32, o ExactOptions) (*Exact, error) {
	unit, dim, err := normalizeRows(vectors)
	if err != nil {
		return nil, fmt.Errorf("search.NewExact: %w", err)
	}
	o = o.withDefaults()
	return &Exact{n: len(vectors), dim: dim, unit: unit, opts: o}, nil
}

// MustNewExact is NewExact that panics on error, for notebooks.
func MustNewExact(vectors [][]float32, o ExactOptions) *Exact {
	e, err := NewExact(vectors, o)
	if err != nil {
		panic(err)
	}
	return e
}

// Len returns the number of indexed vectors.
func (e *Exact) Len() int { return e.n }

// Dim returns the dimension of the indexed vectors.
func (e *Exact) Dim() int { return e.dim }

// Search returns the k indexed vectors most similar to query by cosine
// similarity, best first; equal scores are ordered by index.
func (e *Exact) Search(query []float32, k int) ([]Hit, error) {
	res, err := e.SearchBatch([][]float32{query}, k)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// MustSearch is Search that panics on error, for notebooks.
func (e *Exact) MustSearch(query []float32, k int) []Hit {
	hits, err := e.Search(query, k)
	if err != nil {
		panic(err)
	}
	return hits
}

// SearchBatch answers several queries at once: result i holds the k best hits
// of queries[i], best first. A batch costs much less per query than single
// searches, since each block of database rows is scored against all queries
// in one matrix product.
func (e *Exact) SearchBatch(queries [][]float32, k int) ([][]Hit, error) {
	if err := checkK(k, e.n); err != nil {
		return nil, fmt.Errorf("search.Exact: %w", err)
	}
	if len(queries) == 0 {
		return [][]Hit{}, nil
	}
	qs := make([]float32, len(queries)*e.dim)
	for i, q := range queries {
		u, err := normalizeQuery(q, e.dim)
		if err != nil {
			return nil, fmt.Errorf("search.Exact: query %d: %w", i, err)
		}
		copy(qs[i*e.dim:], u)
	}
	if e.opts.Engine == EngineGoMLX {
		return e.searchEngine(qs, len(queries), k)
	}
	return e.searchGo(qs, len(queries), k), nil
}

// goBlockRows is how many database rows the Go path scores against every
// query of a batch in one matrix product.
const goBlockRows = 1024

// searchGo splits the database rows into one contiguous range per worker;
// each worker scores its range block by block with a float32 matrix product
// (lib/internal/vec, on lib/internal/gemm) and keeps the top k of every
// query, and the ranges' results are merged. The result does not depend on
// the number of workers, since hits are kept in one total order (score, then
// index) and each score is computed the same way whatever the blocking.
func (e *Exact) searchGo(qs []float32, nq, k int) [][]Hit {
	workers := min(e.opts.Workers, max(1, e.n/goBlockRows))
	partial := make([][]*topK, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*e.n/workers, (w+1)*e.n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			tops := make([]*topK, nq)
			for q := range tops {
				tops[q] = newTopK(k)
			}
			scores := make([]float32, nq*goBlockRows)
			for b := lo; b < hi; b += goBlockRows {
				rows := min(goBlockRows, hi-b)
				vec.Products(scores, qs, e.unit[b*e.dim:], nq, rows, e.dim)
				for q := range nq {
					top := tops[q]
					for r, s := range scores[q*rows : (q+1)*rows] {
						if s >= top.worst() {
							top.push(Hit{Index: b + r, Score: s})
						}
					}
				}
			}
			partial[w] = tops
		}()
	}
	wg.Wait()
	out := make([][]Hit, nq)
	for q := range out {
		top := partial[0][q]
		for w := 1; w < workers; w++ {
			for _, h := range partial[w][q].heap {
				top.push(h)
			}
		}
		out[q] = top.sorted()
	}
	return out
}

// initEngine builds the scores graph and moves the database onto the engine.
func (e *Exact) initEngine() {
	be := e.opts.Backend
	if be == nil {
		be, e.engineErr = backend.New()
		if e.engineErr != nil {
			return
		}
	}
	e.scoresExec, e.engineErr = graph.NewExec(be, func(db, q *graph.Node) *graph.Node {
		// [nq, dim] · [n, dim]ᵀ → [nq, n] cosine similarities of unit vectors.
		return graph.DotGeneral(q, []int{1}, nil, db, []int{1}, nil)
	})
	if e.engineErr != nil {
		return
	}
	e.db = tensors.FromFlatDataAndDimensions(e.unit, e.n, e.dim)
	// Move the database onto the engine once, and drop the host copy.
	if e.engineErr = e.db.MaterializeOnDevice(be, false, 0); e.engineErr != nil {
		return
	}
	e.db.FinalizeLocal()
}

// searchEngine computes the scores of up to engineChunk queries at a time as
// one matrix product on the GoMLX engine, then selects each row's top k in Go,
// rows split over the workers. Chunks are padded to a power of two so that
// only a few graph shapes are ever compiled.
func (e *Exact) searchEngine(qs []float32, nq, k int) ([][]Hit, error) {
	e.engineOnce.Do(e.initEngine)
	if e.engineErr != nil {
		return nil, fmt.Errorf("search.Exact: GoMLX engine: %w", e.engineErr)
	}
	out := make([][]Hit, nq)
	for c := 0; c < nq; c += engineChunk {
		rows := min(engineChunk, nq-c)
		padded := 1
		for padded < rows {
			padded *= 2
		}
		chunk := make([]float32, padded*e.dim)
		copy(chunk, qs[c*e.dim:(c+rows)*e.dim])
		scores, err := e.execScores(tensors.FromFlatDataAndDimensions(chunk, padded, e.dim))
		if err != nil {
			return nil, fmt.Errorf("search.Exact: GoMLX engine: %w", err)
		}
		var wg sync.WaitGroup
		workers := min(e.opts.Workers, rows)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := w; r < rows; r += workers {
					top := newTopK(k)
					for i, s := range scores[r*e.n : (r+1)*e.n] {
						if s >= top.worst() {
							top.push(Hit{Index: i, Score: s})
						}
					}
					out[c+r] = top.sorted()
				}
			}()
		}
		wg.Wait()
	}
	return out, nil
}

// execScores runs the scores graph on one chunk of queries and returns the
// flat [rows, n] result. Runs are serialized: the database tensor is shared.
func (e *Exact) execScores(chunk *tensors.Tensor) (scores []float32, err error) {
	e.engineMu.Lock()
	defer e.engineMu.Unlock()
	defer chunk.FinalizeAll()
	out, err := e.scoresExec.Exec(e.db, chunk)
	if err != nil {
		return nil, err
	}
	defer out[0].FinalizeAll()
	return tensors.CopyFlatData[float32](out[0])
}
