package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/gonum"
)

// The algorithm is the classic one of BLIS/GotoBLAS, in plain Go:
//
//   - the contraction (K) is cut into blocks of gemmKC, the columns of B (N)
//     into blocks of gemmNC and the rows of A (M) into blocks of gemmMC;
//   - each block of B is packed into panels nr columns wide, each block
//     of A into panels mr rows tall (the micro-kernel's tile), both contiguous along K and padded
//     with zeros, so the inner loop reads memory sequentially;
//   - a register micro-kernel multiplies one A panel by one B panel into a
//     tile of accumulators, which is stored into C (first K block) or added
//     to it (later K blocks). The portable micro-kernel is plain Go (4×2);
//     on amd64 with AVX2 and FMA, float32 uses a 6×16 one (6×32 on
//     AVX-512 CPUs, the same bits) and float64 a 6×8 one in assembly
//     (gemm_amd64.s), unless built with the "purego" build tag.
//
// Determinism: every element of C is the sum, in increasing K-block order, of
// partial sums each accumulated in increasing k order from zero; nothing in
// that order depends on how the work is split between goroutines, so the
// result is bit-identical on every run and for any number of cores.

const (
	gemmMR = 4   // Rows of the portable (Go) micro-kernel's tile.
	gemmNR = 2   // Columns of the micro-kernel's tile.
	gemmKC = 256 // Contraction block: an A panel and a B panel of it stay in L1.
	gemmMC = 96  // Rows of A per packed block (96 KiB of float32 at gemmKC), kept in L2.
	gemmNC = 512 // Columns of B per packed block (512 KiB at gemmKC).

	// gemmMinParallelWork is the number of multiply-adds under which a
	// product runs on the calling goroutine only.
	gemmMinParallelWork = 1 << 16
)

// Float are the element types Multiply takes.
type Float interface{ float32 | float64 }

// Operand is a batch of matrices inside a flat slice: element (b, i, j)
// is Data[b*BatchStride + i*RowStride + j*ColStride]. A row-major m×k matrix
// is {Data, m*k, k, 1}; its transpose, read as k×m, is {Data, m*k, 1, k}.
type Operand[T Float] struct {
	Data                              []T
	BatchStride, RowStride, ColStride int
}

// at returns element (b, i, j).
func (o *Operand[T]) at(b, i, j int) T {
	return o.Data[b*o.BatchStride+i*o.RowStride+j*o.ColStride]
}

// gemmMicroKernel is a register micro-kernel: it writes into tile (mr×nr,
// row-major) the product of a packed A panel (kb steps of mr values) and a
// packed B panel (kb steps of nr values), each element accumulated from zero
// in increasing k order.
type gemmMicroKernel[T Float] struct {
	mr, nr int
	name   string
	run    func(kb int, a, b, tile []T)
	// runC, when set, is run for a full tile with kb ≥ 1 writing into C
	// directly: c[r·ldc+j] = tile(r, j), or += with add; the same bits as
	// run followed by gemmMacroKernel's copy or addition.
	runC func(kb int, a, b, c []T, ldc int, add bool)
}

// goKernel is the portable micro-kernel, in plain Go.
func goKernel[T Float]() gemmMicroKernel[T] {
	return gemmMicroKernel[T]{mr: gemmMR, nr: gemmNR, name: "go4x2", run: gemmMicroKernelGo[T]}
}

// gemmKernelFloat32 is the micro-kernel used for float32: an assembly one
// where the CPU has it (gemm_amd64.go), else goKernel. Tests switch it.
var gemmKernelFloat32 = goKernel[float32]()

// gemmKernelFloat64 is the micro-kernel used for float64, chosen as for float32.
var gemmKernelFloat64 = goKernel[float64]()

// kernelFor returns the micro-kernel for T.
func kernelFor[T Float]() gemmMicroKernel[T] {
	if k, ok := any(gemmKernelFloat32).(gemmMicroKernel[T]); ok {
		return k
	}
	return any(gemmKernelFloat64).(gemmMicroKernel[T])
}

// gemmBuffers are one goroutine's packing buffers, sized for any micro-kernel
// of at most gemmMaxMR×gemmMaxNR.
type gemmBuffers[T Float] struct {
	a, b, tile []T
}

// Largest micro-kernel tile the packing buffers allow for.
const (
	gemmMaxMR = 8
	gemmMaxNR = 32
)

// gemmBufferPools hold packing buffers for float32 and float64.
var gemmBufferPools = [2]sync.Pool{
	{New: func() any { return newGemmBuffers[float32]() }},
	{New: func() any { return newGemmBuffers[float64]() }},
}

func newGemmBuffers[T Float]() *gemmBuffers[T] {
	return &gemmBuffers[T]{
		a:    make([]T, (gemmMC+gemmMaxMR)*gemmKC),
		b:    make([]T, gemmKC*(gemmNC+gemmMaxNR)),
		tile: make([]T, gemmMaxMR*gemmMaxNR),
	}
}

// gemmPool returns the pool of packing buffers for T.
func gemmPool[T Float]() *sync.Pool {
	var zero T
	if _, is32 := any(zero).(float32); is32 {
		return &gemmBufferPools[0]
	}
	return &gemmBufferPools[1]
}

// gemmTask is a rectangle of one output matrix: rows [i0, i1), columns [j0, j1) of batch example b.
// With upper set (MultiplyTransposed's tasks), only the micro-kernel tiles
// that reach the diagonal or above it are computed: entries (i, j) of the
// tiles skipped all have j < i and are left as they were.
// With add, the first contraction block is added to out too (syrkPart's
// later blocks).
type gemmTask struct {
	b, i0, i1, j0, j1 int
	upper, add        bool
}

// Multiply computes out[b] = lhs[b] · rhs[b] for b in [0, batch), where
// lhs[b] is m×k, rhs[b] is k×n and out is the dense row-major [batch, m, n]
// array (len(out) ≥ batch·m·n). out is overwritten. The work is split over
// up to maxWorkers goroutines (GOMAXPROCS when maxWorkers ≤ 0), which does
// not change the result (see the file comment).
func Multiply[T Float](batch, m, n, k int, lhs, rhs Operand[T], out []T, maxWorkers int) {
	gemmWith(kernelFor[T](), batch, m, n, k, lhs, rhs, out, maxWorkers)
}

// gemmWith is gemm with the given micro-kernel.
func gemmWith[T Float](kern gemmMicroKernel[T], batch, m, n, k int, lhs, rhs Operand[T], out []T, maxWorkers int) {
	if batch <= 0 || m <= 0 || n <= 0 {
		return
	}
	out = out[:batch*m*n]
	if k <= 0 {
		clear(out)
		return
	}
	if m <= gemmDotMaxRows && lhs.ColStride == 1 && rhs.RowStride == 1 {
		gemmDotCalls.Add(1)
		gemmDot(batch, m, n, k, lhs, rhs, out, maxWorkers)
		return
	}
	workers := maxWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if batch*m*n*k < gemmMinParallelWork {
		workers = 1
	}
	// Tasks: rectangles of rows (and, for a few rows, of columns). A task
	// packs its columns of B once per block of k and runs its rows through
	// them block by block (gemmRectangle), so fewer, taller tasks pack B less
	// often: one task per example on one goroutine, about two per goroutine
	// otherwise.
	rowBlock, colBlock := m, gemmNC
	if workers > 1 {
		target := ceilDiv(2*workers, batch) // Tasks per batch example.
		rowBlock = roundUp(max(gemmMC, ceilDiv(m, target)), kern.mr)
		if batch*ceilDiv(m, rowBlock) < 2*workers {
			// Too few rows for that many tasks of gemmMC rows: cut finer.
			// Every task packs its own rows of A and all its columns of B, so
			// more row tasks pack B again (k·n each) and more column parts
			// pack A again (k·m each): take the cut that packs less.
			fine, coarse := roundUp(ceilDiv(m, target), kern.mr), ceilDiv(m, gemmMC)
			parts := ceilDiv(target, coarse)
			if (ceilDiv(m, fine)-coarse)*n < (parts-1)*m {
				rowBlock = fine
			} else {
				rowBlock = gemmMC
				colBlock = roundUp(min(gemmNC, max(kern.nr, ceilDiv(n, parts))), kern.nr)
			}
		}
	}
	rowTasks := ceilDiv(m, rowBlock)
	colTasks := ceilDiv(n, colBlock)
	numTasks := batch * rowTasks * colTasks
	task := func(t int) gemmTask {
		b := t / (rowTasks * colTasks)
		t %= rowTasks * colTasks
		r, c := t/colTasks, t%colTasks
		return gemmTask{b: b, i0: r * rowBlock, i1: min(m, (r+1)*rowBlock), j0: c * colBlock, j1: min(n, (c+1)*colBlock)}
	}
	runRectangles(&kern, numTasks, workers, task, m, n, k, &lhs, &rhs, out)
}

// runRectangles runs gemmRectangle on the tasks task(0) … task(numTasks−1) of
// the product of lhs and rhs into out: in order on this goroutine when workers
// ≤ 1 or there is one task, else on min(workers, numTasks) goroutines, each
// taking the next task and holding its own buffers from gemmPool. Tasks write
// disjoint parts of out, so the result does not depend on the order.
func runRectangles[T Float](kern *gemmMicroKernel[T], numTasks, workers int, task func(t int) gemmTask, m, n, k int, lhs, rhs *Operand[T], out []T) {
	workers = min(workers, numTasks)
	if workers <= 1 {
		bufs := gemmPool[T]().Get().(*gemmBuffers[T])
		for t := range numTasks {
			gemmRectangle(kern, task(t), m, n, k, lhs, rhs, out, bufs)
		}
		gemmPool[T]().Put(bufs)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bufs := gemmPool[T]().Get().(*gemmBuffers[T])
			for {
				t := int(next.Add(1) - 1)
				if t >= numTasks {
					break
				}
				gemmRectangle(kern, task(t), m, n, k, lhs, rhs, out, bufs)
			}
			gemmPool[T]().Put(bufs)
		}()
	}
	wg.Wait()
}

// ceilDiv returns ⌈a/b⌉ for a ≥ 0, b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// roundUp returns a rounded up to a multiple of b.
func roundUp(a, b int) int { return ceilDiv(a, b) * b }

// gemmRectangle computes one task's rectangle of out[t.b] (row-major m×n)
// over the whole contraction k.
func gemmRectangle[T Float](kern *gemmMicroKernel[T], t gemmTask, m, n, k int, lhs, rhs *Operand[T], out []T, bufs *gemmBuffers[T]) {
	c := out[t.b*m*n : (t.b+1)*m*n]
	for jc := t.j0; jc < t.j1; jc += gemmNC {
		nb := min(gemmNC, t.j1-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kb := min(gemmKC, k-pc)
			packB(bufs.b, rhs, kern.nr, t.b, pc, kb, jc, nb)
			for ic := t.i0; ic < t.i1; ic += gemmMC {
				if t.upper && ic >= jc+nb {
					break // This and later row blocks lie wholly below the diagonal.
				}
				mb := min(gemmMC, t.i1-ic)
				packA(bufs.a, lhs, kern.mr, t.b, ic, mb, pc, kb)
				gemmMacroKernel(kern, bufs, mb, nb, kb, c, ic, jc, n, pc == 0 && !t.add, t.upper)
			}
		}
	}
}

// packA copies rows [i0, i0+mb) × columns [k0, k0+kb) of lhs[b] into dst as
// panels of mr rows: panel p holds, for each kk, the mr values
// A(i0+p·mr+r, k0+kk), zero for rows past mb.
func packA[T Float](dst []T, lhs *Operand[T], mr, b, i0, mb, k0, kb int) {
	data, rs, cs := lhs.Data, lhs.RowStride, lhs.ColStride
	for p := 0; p*mr < mb; p++ {
		panel := dst[p*kb*mr : (p+1)*kb*mr]
		if rs == 1 && (p+1)*mr <= mb {
			// Transposed lhs: the panel's mr values at each kk are adjacent.
			// Element by element: a copy call per mr values costs more than the copy.
			idx := b*lhs.BatchStride + i0 + p*mr + k0*cs
			if mr == 6 {
				for kk := range kb {
					dst, src := panel[kk*6:kk*6+6:kk*6+6], data[idx:idx+6:idx+6]
					dst[0], dst[1], dst[2], dst[3], dst[4], dst[5] = src[0], src[1], src[2], src[3], src[4], src[5]
					idx += cs
				}
				continue
			}
			for kk := range kb {
				dst, src := panel[kk*mr:kk*mr+mr], data[idx:idx+mr]
				for r, v := range src {
					dst[r] = v
				}
				idx += cs
			}
			continue
		}
		live := min(mr, mb-p*mr)
		for r := range live {
			row := p*mr + r
			idx := b*lhs.BatchStride + (i0+row)*rs + k0*cs
			if cs == 1 && r == 0 && mr == 6 && (p+1)*mr <= mb {
				// Row-major lhs, the AVX2 kernels' 6-row panel: gather the 6 rows in one pass.
				packRows6(panel[:6*kb], data, idx, rs, kb)
				break
			}
			if cs == 1 {
				src := data[idx : idx+kb]
				for kk, v := range src {
					panel[kk*mr+r] = v
				}
				continue
			}
			for kk := range kb {
				panel[kk*mr+r] = data[idx]
				idx += cs
			}
		}
		zeroPanelRows(panel, mr, live, kb)
	}
}

// zeroPanelRows zeroes rows [from, mr) of a packed panel of kb columns × mr rows
// (panel[kk·mr+r]): the rows past the matrix's last, which the kernels multiply too.
func zeroPanelRows[T Float](panel []T, mr, from, kb int) {
	for r := from; r < mr; r++ {
		for kk := range kb {
			panel[kk*mr+r] = 0
		}
	}
}

// packRows6 writes panel[kk*6+r] = data[idx + r*rs + kk] for r < 6, kk < kb.
func packRows6[T Float](panel, data []T, idx, rs, kb int) {
	r0 := data[idx : idx+kb]
	r1 := data[idx+rs : idx+rs+kb]
	r2 := data[idx+2*rs : idx+2*rs+kb]
	r3 := data[idx+3*rs : idx+3*rs+kb]
	r4 := data[idx+4*rs : idx+4*rs+kb]
	r5 := data[idx+5*rs : idx+5*rs+kb]
	panel = panel[:6*len(r0)]
	for kk := range r0 {
		d := panel[kk*6 : kk*6+6 : kk*6+6]
		d[0], d[1], d[2], d[3], d[4], d[5] = r0[kk], r1[kk], r2[kk], r3[kk], r4[kk], r5[kk]
	}
}

// packB copies rows [k0, k0+kb) × columns [j0, j0+nb) of rhs[b] into dst as
// panels of nr columns: panel p holds, for each kk, the nr values
// B(k0+kk, j0+p·nr+c), zero for columns past nb.
func packB[T Float](dst []T, rhs *Operand[T], nr, b, k0, kb, j0, nb int) {
	data, rs, cs := rhs.Data, rhs.RowStride, rhs.ColStride
	for p := 0; p*nr < nb; p++ {
		panel := dst[p*kb*nr : (p+1)*kb*nr]
		cols := min(nr, nb-p*nr)
		base := b*rhs.BatchStride + k0*rs + (j0+p*nr)*cs
		if cols == nr && cs == 1 {
			for kk := range kb {
				dst, src := panel[kk*nr:kk*nr+nr], data[base+kk*rs:base+kk*rs+nr]
				if nr >= 32 {
					copy(dst, src)
					continue
				}
				for c, v := range src { // Cheaper than a copy call for a few values.
					dst[c] = v
				}
			}
			continue
		}
		if rs == 1 {
			// Transposed rhs: each column of the panel lies contiguous along k.
			// Read it in one pass and scatter it down the panel (which stays in L1).
			for c := range cols {
				for kk, v := range data[base+c*cs : base+c*cs+kb] {
					panel[kk*nr+c] = v
				}
			}
			if cols < nr {
				for kk := range kb {
					for c := cols; c < nr; c++ {
						panel[kk*nr+c] = 0
					}
				}
			}
			continue
		}
		for kk := range kb {
			d := panel[kk*nr : kk*nr+nr]
			idx := base + kk*rs
			if cs == 1 { // The last, partial panel of a row-major rhs.
				for c, v := range data[idx : idx+cols] {
					d[c] = v
				}
			} else {
				for c := range cols {
					d[c] = data[idx+c*cs]
				}
			}
			for c := cols; c < nr; c++ {
				d[c] = 0
			}
		}
	}
}

// gemmMacroKernel multiplies the packed mb×kb block of A by the packed kb×nb
// block of B (in bufs) into c (row-major, ldc columns) at rows [i0, i0+mb)
// and columns [j0, j0+nb): stored when first, added otherwise. With upper,
// tiles whose every column lies left of the diagonal (j < i) are skipped.
func gemmMacroKernel[T Float](kern *gemmMicroKernel[T], bufs *gemmBuffers[T], mb, nb, kb int, c []T, i0, j0, ldc int, first, upper bool) {
	mr, nr := kern.mr, kern.nr
	tile := bufs.tile[:mr*nr]
	for jp := 0; jp*nr < nb; jp++ {
		bPanel := bufs.b[jp*kb*nr : (jp+1)*kb*nr]
		cols := min(nr, nb-jp*nr)
		for ip := 0; ip*mr < mb; ip++ {
			if upper && i0+ip*mr >= j0+jp*nr+cols {
				break // This and the later tiles of the column panel: below the diagonal.
			}
			aPanel := bufs.a[ip*kb*mr : (ip+1)*kb*mr]
			rows := min(mr, mb-ip*mr)
			if kern.runC != nil && rows == mr && cols == nr && kb > 0 {
				kern.runC(kb, aPanel, bPanel, c[(i0+ip*mr)*ldc+j0+jp*nr:], ldc, !first)
				continue
			}
			kern.run(kb, aPanel, bPanel, tile)
			for r := range rows {
				row := c[(i0+ip*mr+r)*ldc+j0+jp*nr:]
				row = row[:cols]
				t := tile[r*nr : r*nr+cols]
				if first {
					copy(row, t)
				} else {
					for j, v := range t {
						row[j] += v
					}
				}
			}
		}
	}
}

// gemmMicroKernelGo is the portable gemmMR×gemmNR micro-kernel (see
// gemmMicroKernel): 4×2 keeps its 8 accumulators and 6 operands in
// registers on amd64, where 4×4 spills.
func gemmMicroKernelGo[T Float](kb int, a, b, tile []T) {
	var c00, c01, c10, c11, c20, c21, c30, c31 T
	a, b = a[:kb*gemmMR], b[:kb*gemmNR]
	for len(a) >= 4 && len(b) >= 2 {
		b0, b1 := b[0], b[1]
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		a, b = a[4:], b[2:]
	}
	tile = tile[:8]
	tile[0], tile[1], tile[2], tile[3] = c00, c01, c10, c11
	tile[4], tile[5], tile[6], tile[7] = c20, c21, c30, c31
}

// gemmDotCalls counts the products that went to gemmDot, for tests.
var gemmDotCalls atomic.Int64

// gemmDotMaxRows is the most rows of lhs for which a product whose operands
// both run contiguously along the contraction goes to gemmDot.
const gemmDotMaxRows = 4

// gemmDot computes out[b] = lhs[b] · rhs[b] as m·n dot products read in place,
// for products of a few rows whose operands both lie contiguously along k —
// a query against a collection stored one vector per row, say. Packing would
// copy all of rhs for a few rows of output; here each column of rhs is read
// once per row of lhs, straight from memory. Columns are split over up to
// maxWorkers goroutines (GOMAXPROCS when ≤ 0); each dot product is summed in
// the same fixed order whatever the split (dotContiguous), so results are
// bit-identical for any number of cores, though not to the last bit equal to
// the packed path's for the same values.
func gemmDot[T Float](batch, m, n, k int, lhs, rhs Operand[T], out []T, maxWorkers int) {
	workers := maxWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if batch*m*n*k < gemmMinParallelWork {
		workers = 1
	}
	columns := func(j0, j1 int) {
		for b := range batch {
			for i := range m {
				a := lhs.Data[b*lhs.BatchStride+i*lhs.RowStride:][:k]
				row := out[(b*m+i)*n : (b*m+i+1)*n]
				for j := j0; j < j1; j++ {
					row[j] = dotContiguous(a, rhs.Data[b*rhs.BatchStride+j*rhs.ColStride:][:k])
				}
			}
		}
	}
	workers = min(workers, n)
	if workers <= 1 {
		columns(0, n)
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for j0 := 0; j0 < n; j0 += per {
		wg.Add(1)
		go func() {
			defer wg.Done()
			columns(j0, min(n, j0+per))
		}()
	}
	wg.Wait()
}

// dotContiguous returns Σ a[i]·b[i] (len(b) ≥ len(a)) with gonum's dot
// kernels (SIMD assembly on amd64), whose order of summation is fixed.
func dotContiguous[T Float](a, b []T) T {
	b = b[:len(a)]
	switch a := any(a).(type) {
	case []float32:
		return T(blasImpl.Sdot(len(a), a, 1, any(b).([]float32), 1))
	case []float64:
		return T(blasImpl.Ddot(len(a), a, 1, any(b).([]float64), 1))
	}
	panic("gemm: unreachable element type")
}

var blasImpl gonum.Implementation
