package reduce

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// TSNEMethod chooses how t-SNE computes its gradient.
type TSNEMethod int

const (
	// TSNEAuto is TSNEExact below TSNEAutoExactMax points (or for layouts of other than
	// 2 dimensions) and TSNEBarnesHut from there on.
	TSNEAuto TSNEMethod = iota
	// TSNEExact uses all n² pairs: O(n²) time and memory per iteration.
	TSNEExact
	// TSNEBarnesHut uses the 3·perplexity nearest neighbours for the attraction and a
	// quad-tree for the repulsion: O(n log n) per iteration, 2-D layouts only.
	TSNEBarnesHut
)

func (m TSNEMethod) String() string {
	switch m {
	case TSNEAuto:
		return "auto"
	case TSNEExact:
		return "exact"
	case TSNEBarnesHut:
		return "barnes_hut"
	}
	return fmt.Sprintf("TSNEMethod(%d)", int(m))
}

// TSNEAutoExactMax is the number of points from which TSNEAuto switches from exact to
// Barnes-Hut gradients. Measured on 2 cores (64-D, 10 clusters): at 400 points exact
// takes 1.5 s and Barnes-Hut 0.6 s, at 900 points 4.7 s and 1.9 s, with the same
// trustworthiness to ±0.0002; exact is kept below 500 points, where it costs little
// and has no approximation to explain.
const TSNEAutoExactMax = 500

// TSNEOptions configures [TSNE]. Zero values take scikit-learn 1.2's defaults.
type TSNEOptions struct {
	// Components is the layout's dimension; 0 means 2.
	Components int
	// Perplexity is the effective number of neighbours each point's Gaussian covers;
	// 0 means 30. Must be below the number of points.
	Perplexity float64
	// Iterations is the total number of gradient steps, the 250 of early exaggeration
	// included; 0 means 1000. At least 250.
	Iterations int
	// LearningRate is the step size; 0 means "auto", max(n/EarlyExaggeration/4, 50), as
	// scikit-learn's learning_rate="auto".
	LearningRate float64
	// EarlyExaggeration multiplies the affinities during the first 250 iterations, so
	// that clusters form with room between them; 0 means 12.
	EarlyExaggeration float64
	// Seed makes the layout reproducible: the same seed gives the same layout bit for bit.
	Seed uint64
	// Method is the gradient: TSNEAuto (default), TSNEExact or TSNEBarnesHut.
	Method TSNEMethod
	// Init is the starting layout: InitPCA (default) or InitRandom.
	Init Init
	// Theta is Barnes-Hut's accuracy: a quad-tree cell of width w at distance r from a
	// point is summarised by its centre of mass when w/r < Theta; 0 means 0.5.
	Theta float64
}

const (
	tsneExplorationIters = 250
	tsneCheckEvery       = 50
	tsneMinGradNorm      = 1e-7
	tsneNoProgressIters  = 300
	machineEpsilon       = 2.220446049250313e-16
)

// withDefaults returns o with its zero fields filled in for n points (the
// defaults its fields' comments give), and an error for values out of range.
func (o TSNEOptions) withDefaults(n int) (TSNEOptions, error) {
	if o.Components == 0 {
		o.Components = 2
	}
	if o.Perplexity == 0 {
		o.Perplexity = 30
	}
	if o.Iterations == 0 {
		o.Iterations = 1000
	}
	if o.EarlyExaggeration == 0 {
		o.EarlyExaggeration = 12
	}
	if o.LearningRate == 0 {
		o.LearningRate = max(float64(n)/o.EarlyExaggeration/4, 50)
	}
	if o.Theta == 0 {
		o.Theta = 0.5
	}
	if o.Init == InitDefault {
		o.Init = InitPCA
	}
	if o.Method == TSNEAuto {
		o.Method = TSNEBarnesHut
		if n < TSNEAutoExactMax || o.Components != 2 {
			o.Method = TSNEExact
		}
	}
	switch {
	case o.Components < 1:
		return o, fmt.Errorf("t-SNE: %d components: want at least 1", o.Components)
	case !(o.Perplexity > 0) || o.Perplexity >= float64(n):
		return o, fmt.Errorf("t-SNE: perplexity %v with %d points: want 0 < perplexity < number of points", o.Perplexity, n)
	case o.Iterations < tsneExplorationIters:
		return o, fmt.Errorf("t-SNE: %d iterations: want at least %d", o.Iterations, tsneExplorationIters)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0):
		return o, fmt.Errorf("t-SNE: learning rate %v: want a positive number", o.LearningRate)
	case !(o.EarlyExaggeration >= 1):
		return o, fmt.Errorf("t-SNE: early exaggeration %v: want at least 1", o.EarlyExaggeration)
	case !(o.Theta > 0) || o.Theta > 1:
		return o, fmt.Errorf("t-SNE: theta %v: want 0 < theta ≤ 1", o.Theta)
	case o.Method != TSNEExact && o.Method != TSNEBarnesHut:
		return o, fmt.Errorf("t-SNE: unknown method %v", o.Method)
	case o.Method == TSNEBarnesHut && o.Components != 2:
		return o, fmt.Errorf("t-SNE: Barnes-Hut makes 2-D layouts only, %d components asked", o.Components)
	case o.Init != InitPCA && o.Init != InitRandom:
		return o, fmt.Errorf("t-SNE: init %v: want InitPCA or InitRandom", o.Init)
	case o.Method == TSNEExact && n > 20000:
		return o, fmt.Errorf("t-SNE: exact gradients for %d points need %d MB: use TSNEBarnesHut", n, n*n*16/1000000)
	}
	return o, nil
}

// TSNE lays out x (n points × d dimensions) in o.Components dimensions with
// t-distributed stochastic neighbour embedding, following scikit-learn 1.2's TSNE
// (see the package documentation). It returns one row of coordinates per point.
func TSNE(x [][]float32, o TSNEOptions) ([][]float64, error) {
	m, err := fromRows("t-SNE input", x)
	if err != nil {
		return nil, err
	}
	if m.n < 3 {
		return nil, fmt.Errorf("t-SNE: needs at least 3 points, got %d", m.n)
	}
	o, err = o.withDefaults(m.n)
	if err != nil {
		return nil, err
	}
	n, dim := m.n, o.Components
	rng := rand.New(rand.NewPCG(o.Seed, 0x75e_0f_0a4a9))
	var y []float64
	if o.Init == InitPCA {
		p, err := pcaFit(m, PCAOptions{Components: min(dim, m.d)})
		if err != nil {
			return nil, fmt.Errorf("t-SNE: PCA initialisation: %w", err)
		}
		t := p.transform(m)
		y = make([]float64, n*dim)
		k := p.components.n
		for i := 0; i < n; i++ {
			copy(y[i*dim:i*dim+k], t[i*k:(i+1)*k])
		}
		// First coordinate to standard deviation 1e-4, as scikit-learn.
		mean, sd := 0.0, 0.0
		for i := 0; i < n; i++ {
			mean += y[i*dim]
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			sd += (y[i*dim] - mean) * (y[i*dim] - mean)
		}
		sd = math.Sqrt(sd / float64(n))
		for i := range y {
			if sd > 0 {
				y[i] = y[i] / sd * 1e-4
			} else {
				y[i] = 1e-4 * rng.NormFloat64()
			}
		}
	} else {
		y = make([]float64, n*dim)
		for i := range y {
			y[i] = 1e-4 * rng.NormFloat64()
		}
	}

	var obj tsneObjective
	if o.Method == TSNEExact {
		obj = newExactTSNE(m, o.Perplexity, dim)
	} else {
		obj = newBarnesHutTSNE(m, o.Perplexity, o.Theta)
	}
	obj.scale(o.EarlyExaggeration)
	it := tsneDescent(obj, y, 0, tsneExplorationIters, 0.5, o.LearningRate, tsneExplorationIters)
	obj.scale(1 / o.EarlyExaggeration)
	tsneDescent(obj, y, it+1, o.Iterations, 0.8, o.LearningRate, tsneNoProgressIters)
	return toRows(y, n, dim), nil
}

// MustTSNE is TSNE for notebooks: it panics on error.
func MustTSNE(x [][]float32, o TSNEOptions) [][]float64 {
	y, err := TSNE(x, o)
	if err != nil {
		panic(err)
	}
	return y
}

// tsneObjective computes the KL divergence's gradient with respect to the layout.
type tsneObjective interface {
	// gradient writes ∂KL/∂y into grad and, when withError, returns KL(P‖Q).
	gradient(y, grad []float64, withError bool) float64
	// scale multiplies the affinities P (early exaggeration).
	scale(f float64)
}

// tsneDescent runs iterations [from, to) of gradient descent with momentum and
// per-coordinate gains (Jacobs 1988), scikit-learn's _gradient_descent. It stops early
// when the gradient's norm falls below 1e-7 or the error has not improved for
// noProgress iterations (checked every 50). It returns the last iteration run.
func tsneDescent(obj tsneObjective, y []float64, from, to int, momentum, rate float64, noProgress int) int {
	update := make([]float64, len(y))
	gains := make([]float64, len(y))
	for i := range gains {
		gains[i] = 1
	}
	grad := make([]float64, len(y))
	bestErr, bestIter := math.Inf(1), from
	i := from
	for ; i < to; i++ {
		check := (i+1)%tsneCheckEvery == 0 || i == to-1
		errv := obj.gradient(y, grad, check)
		norm := 0.0
		for c, g := range grad {
			norm += g * g
			if update[c]*g < 0 {
				gains[c] += 0.2
			} else {
				gains[c] *= 0.8
			}
			gains[c] = max(gains[c], 0.01)
			g *= gains[c]
			update[c] = momentum*update[c] - rate*g
			y[c] += update[c]
		}
		if check {
			if errv < bestErr {
				bestErr, bestIter = errv, i
			} else if i-bestIter > noProgress {
				break
			}
			if math.Sqrt(norm) <= tsneMinGradNorm {
				break
			}
		}
	}
	return min(i, to-1)
}

// conditionalP finds, for one point, the Gaussian precision beta whose conditional
// distribution over the given squared distances has perplexity perp (entropy log perp),
// by bisection as scikit-learn's _binary_search_perplexity, and writes it into p.
func conditionalP(sq []float64, perp float64, p []float64) {
	const steps, tol = 100, 1e-5
	want := math.Log(perp)
	beta, lo, hi := 1.0, math.Inf(-1), math.Inf(1)
	for s := 0; s < steps; s++ {
		sum := 0.0
		for j, d := range sq {
			p[j] = math.Exp(-d * beta)
			sum += p[j]
		}
		if sum == 0 {
			sum = 1e-8
		}
		dp := 0.0
		for j := range p {
			p[j] /= sum
			dp += sq[j] * p[j]
		}
		h := math.Log(sum) + beta*dp
		diff := h - want
		if math.Abs(diff) <= tol {
			break
		}
		if diff > 0 {
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			if math.IsInf(lo, -1) {
				beta /= 2
			} else {
				beta = (beta + lo) / 2
			}
		}
	}
}

// exactTSNE holds the dense joint affinities P.
type exactTSNE struct {
	n, dim int
	p      []float64 // n×n, symmetric, zero diagonal
	w      []float64 // n×n scratch: 1/(1 + ‖yᵢ − yⱼ‖²)
	rowZ   []float64
}

func newExactTSNE(m *matrix, perp float64, dim int) *exactTSNE {
	n := m.n
	norms := rowSqNorms(m)
	cond := make([]float64, n*n)
	const block = 64
	parallelBlocks(n, block, func(lo, hi int) {
		sq := make([]float64, (hi-lo)*n)
		sqDistBlock(m, norms, lo, hi, sq)
		others := make([]float64, n-1)
		p := make([]float64, n-1)
		for i := lo; i < hi; i++ {
			row := sq[(i-lo)*n : (i-lo+1)*n]
			copy(others, row[:i])
			copy(others[i:], row[i+1:])
			conditionalP(others, perp, p)
			out := cond[i*n : (i+1)*n]
			copy(out[:i], p[:i])
			copy(out[i+1:], p[i:])
		}
	})
	sum := 0.0
	joint := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := cond[i*n+j] + cond[j*n+i]
			joint[i*n+j] = v
			sum += v
		}
	}
	sum = max(sum, machineEpsilon)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				joint[i*n+j] = max(joint[i*n+j]/sum, machineEpsilon)
			}
		}
	}
	return &exactTSNE{n: n, dim: dim, p: joint, w: cond, rowZ: make([]float64, n)}
}

func (e *exactTSNE) scale(f float64) {
	for i := range e.p {
		e.p[i] *= f
	}
}

func (e *exactTSNE) gradient(y, grad []float64, withError bool) float64 {
	n, dim := e.n, e.dim
	parallelFor(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			yi := y[i*dim : (i+1)*dim]
			w := e.w[i*n : (i+1)*n]
			z := 0.0
			for j := 0; j < n; j++ {
				if j == i {
					w[j] = 0
					continue
				}
				d2 := 0.0
				for c, v := range y[j*dim : (j+1)*dim] {
					t := yi[c] - v
					d2 += t * t
				}
				w[j] = 1 / (1 + d2)
				z += w[j]
			}
			e.rowZ[i] = z
		}
	})
	z := 0.0
	for _, v := range e.rowZ {
		z += v
	}
	errs := make([]float64, n)
	parallelFor(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			yi := y[i*dim : (i+1)*dim]
			g := grad[i*dim : (i+1)*dim]
			clear(g)
			w, p := e.w[i*n:(i+1)*n], e.p[i*n:(i+1)*n]
			kl := 0.0
			for j := 0; j < n; j++ {
				if j == i {
					continue
				}
				q := max(w[j]/z, machineEpsilon)
				f := (p[j] - q) * w[j]
				for c, v := range y[j*dim : (j+1)*dim] {
					g[c] += f * (yi[c] - v)
				}
				if withError {
					kl += p[j] * math.Log(max(p[j], machineEpsilon)/q)
				}
			}
			for c := range g {
				g[c] *= 4
			}
			errs[i] = kl
		}
	})
	total := 0.0
	for _, v := range errs {
		total += v
	}
	return total
}

// barnesHutTSNE holds sparse joint affinities over nearest neighbours.
type barnesHutTSNE struct {
	n     int
	theta float64
	p     *csr
	tree  quadTree
	rowZ  []float64
	errs  []float64
}

func newBarnesHutTSNE(m *matrix, perp, theta float64) *barnesHutTSNE {
	n := m.n
	k := min(n-1, int(3*perp+1))
	idx, dist := knnSelf(m, k+1, false)
	cond := make([]float64, n*k)
	parallelFor(n, func(lo, hi int) {
		sq := make([]float64, k)
		for i := lo; i < hi; i++ {
			for t := 0; t < k; t++ {
				d := dist[i*(k+1)+1+t]
				sq[t] = d * d
			}
			conditionalP(sq, perp, cond[i*k:(i+1)*k])
		}
	})
	edges := make([]coo, 0, n*k)
	for i := 0; i < n; i++ {
		for t := 0; t < k; t++ {
			edges = append(edges, coo{i, int(idx[i*(k+1)+1+t]), cond[i*k+t]})
		}
	}
	// P = (P_cond + P_condᵀ) / Σ, scikit-learn's _joint_probabilities_nn.
	g := symmetrize(n, edges, func(a, b float64) float64 { return a + b })
	sum := 0.0
	for _, v := range g.w {
		sum += v
	}
	sum = max(sum, machineEpsilon)
	for t := range g.w {
		g.w[t] /= sum
	}
	return &barnesHutTSNE{n: n, theta: theta, p: g, rowZ: make([]float64, n), errs: make([]float64, n)}
}

func (b *barnesHutTSNE) scale(f float64) {
	for t := range b.p.w {
		b.p.w[t] *= f
	}
}

func (b *barnesHutTSNE) gradient(y, grad []float64, withError bool) float64 {
	n := b.n
	b.tree.build(y)
	theta2 := b.theta * b.theta
	neg := make([]float64, 2*n)
	parallelFor(n, func(lo, hi int) {
		stack := make([]int32, 0, 64)
		for i := lo; i < hi; i++ {
			b.rowZ[i] = b.tree.repulsion(i, y[2*i], y[2*i+1], theta2, neg[2*i:2*i+2], stack)
		}
	})
	z := 0.0
	for _, v := range b.rowZ {
		z += v
	}
	g := b.p
	const tiny = 1.1754943508222875e-38 // float32's smallest normal, as scikit-learn
	parallelFor(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			xi, yi := y[2*i], y[2*i+1]
			fx, fy, kl := 0.0, 0.0, 0.0
			for p := g.rowPtr[i]; p < g.rowPtr[i+1]; p++ {
				j := g.col[p]
				dx, dy := xi-y[2*j], yi-y[2*j+1]
				q := 1 / (1 + dx*dx + dy*dy)
				f := g.w[p] * q
				fx += f * dx
				fy += f * dy
				if withError {
					kl += g.w[p] * math.Log(max(g.w[p], tiny)/max(q/z, tiny))
				}
			}
			grad[2*i] = 4 * (fx - neg[2*i]/z)
			grad[2*i+1] = 4 * (fy - neg[2*i+1]/z)
			b.errs[i] = kl
		}
	})
	total := 0.0
	if withError {
		for _, v := range b.errs {
			total += v
		}
	}
	return total
}
