package gemm

// PackedRHS is the right operand of products, packed once into the
// micro-kernel's panels so that many products with it (a matrix of
// centroids against block after block of points) do not pack it again.
type PackedRHS[T Float] struct {
	k, n int
	rhs  Operand[T] // The operand packed; read again only by products of at most gemmDotMaxRows rows.
	kern gemmMicroKernel[T]
	data []T // Blocks of gemmNC columns, each as gemmKC-deep blocks of packB's panels.
}

// PackRHS packs rhs (read as one k×n matrix, batch example 0) for
// MultiplyRowsPacked. rhs's data must not change while the result is used.
func PackRHS[T Float](k, n int, rhs Operand[T]) *PackedRHS[T] {
	kern := kernelFor[T]()
	size := 0
	for jc := 0; jc < n; jc += gemmNC {
		size += k * roundUp(min(gemmNC, n-jc), kern.nr)
	}
	p := &PackedRHS[T]{k: k, n: n, rhs: rhs, kern: kern, data: make([]T, size)}
	off := 0
	for jc := 0; jc < n; jc += gemmNC {
		nb := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kb := min(gemmKC, k-pc)
			packB(p.data[off:off+kb*roundUp(nb, kern.nr)], &rhs, kern.nr, 0, pc, kb, jc, nb)
			off += kb * roundUp(nb, kern.nr)
		}
	}
	return p
}

// MultiplyRowsPacked writes into out (len(rows)×n, row-major) the product of
// the matrix whose rows are rows[i][:k] (each its own slice: no copy of
// scattered rows into one matrix) with the packed rhs, on the calling
// goroutine. The result is Multiply's for the same operands, bit for bit.
func MultiplyRowsPacked[T Float](out []T, rows [][]T, rhs *PackedRHS[T]) {
	m, n, k := len(rows), rhs.n, rhs.k
	if m == 0 || n == 0 {
		return
	}
	out = out[:m*n]
	if k == 0 {
		clear(out)
		return
	}
	if m <= gemmDotMaxRows { // Multiply reads these in place (gemmDot): do the same.
		flat := make([]T, 0, m*k)
		for _, row := range rows {
			flat = append(flat, row[:k]...)
		}
		Multiply(1, m, n, k, Operand[T]{Data: flat, BatchStride: m * k, RowStride: k, ColStride: 1}, rhs.rhs, out, 1)
		return
	}
	kern := &rhs.kern
	bufs := gemmPool[T]().Get().(*gemmBuffers[T])
	defer gemmPool[T]().Put(bufs)
	off := 0
	for jc := 0; jc < n; jc += gemmNC {
		nb := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kb := min(gemmKC, k-pc)
			size := kb * roundUp(nb, kern.nr)
			packed := gemmBuffers[T]{a: bufs.a, b: rhs.data[off : off+size], tile: bufs.tile}
			off += size
			for ic := 0; ic < m; ic += gemmMC {
				mb := min(gemmMC, m-ic)
				packRowSlices(bufs.a, rows, kern.mr, ic, mb, pc, kb)
				gemmMacroKernel(kern, &packed, mb, nb, kb, out, ic, jc, n, pc == 0, false)
			}
		}
	}
}

// packRowSlices is packA for a matrix given as row slices: rows
// [i0, i0+mb) × columns [k0, k0+kb) into panels of mr rows, zero past mb.
func packRowSlices[T Float](dst []T, rows [][]T, mr, i0, mb, k0, kb int) {
	for p := 0; p*mr < mb; p++ {
		panel := dst[p*kb*mr : (p+1)*kb*mr]
		if mr == 6 && (p+1)*mr <= mb {
			r := rows[i0+p*6 : i0+p*6+6]
			pack6(panel, r[0][k0:k0+kb], r[1][k0:k0+kb], r[2][k0:k0+kb], r[3][k0:k0+kb], r[4][k0:k0+kb], r[5][k0:k0+kb])
			continue
		}
		live := min(mr, mb-p*mr)
		for r := range live {
			for kk, v := range rows[i0+p*mr+r][k0 : k0+kb] {
				panel[kk*mr+r] = v
			}
		}
		zeroPanelRows(panel, mr, live, kb)
	}
}

// pack6 writes panel[kk*6+r] = rr[kk] for the six rows rr = r0 … r5.
func pack6[T Float](panel, r0, r1, r2, r3, r4, r5 []T) {
	n := len(r0)
	panel = panel[:6*n]
	r1, r2, r3, r4, r5 = r1[:n], r2[:n], r3[:n], r4[:n], r5[:n]
	for kk := range r0 {
		d := panel[kk*6 : kk*6+6 : kk*6+6]
		d[0], d[1], d[2], d[3], d[4], d[5] = r0[kk], r1[kk], r2[kk], r3[kk], r4[kk], r5[kk]
	}
}
