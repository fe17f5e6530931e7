package reduce

import "math"

// quadTree is a point-region quad-tree over a 2-D layout, rebuilt every t-SNE
// iteration, whose cells know their point count and centre of mass.
type quadTree struct {
	nodes   []qtNode
	perm    []int32 // point indices, each cell covering perm[start:end]
	scratch []int32
	pos     []int32 // pos[i] = position of point i in perm
	y       []float64
}

type qtNode struct {
	cx, cy   float64 // centre of mass
	width    float64 // larger side of the cell
	start    int32
	end      int32
	children [4]int32 // -1 where empty; all -1 for a leaf
}

func (t *quadTree) build(y []float64) {
	n := len(y) / 2
	t.y = y
	t.nodes = t.nodes[:0]
	if cap(t.perm) < n {
		t.perm = make([]int32, n)
		t.pos = make([]int32, n)
		t.scratch = make([]int32, n)
	}
	t.perm, t.pos, t.scratch = t.perm[:n], t.pos[:n], t.scratch[:n]
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i < n; i++ {
		t.perm[i] = int32(i)
		x0, x1 = min(x0, y[2*i]), max(x1, y[2*i])
		y0, y1 = min(y0, y[2*i+1]), max(y1, y[2*i+1])
	}
	// A small margin keeps points off the outer edges.
	mx, my := 1e-3*(x1-x0)+1e-12, 1e-3*(y1-y0)+1e-12
	t.node(0, int32(n), x0-mx, y0-my, x1+mx, y1+my, 0)
	for p, i := range t.perm {
		t.pos[i] = int32(p)
	}
}

// node builds the cell for perm[start:end] inside the box and returns its index.
func (t *quadTree) node(start, end int32, x0, y0, x1, y1 float64, depth int) int32 {
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, qtNode{width: max(x1-x0, y1-y0), start: start, end: end, children: [4]int32{-1, -1, -1, -1}})
	cx, cy := 0.0, 0.0
	ids := t.perm[start:end]
	for _, i := range ids {
		cx += t.y[2*i]
		cy += t.y[2*i+1]
	}
	cnt := float64(len(ids))
	t.nodes[id].cx, t.nodes[id].cy = cx/cnt, cy/cnt
	if len(ids) == 1 || depth >= 48 {
		return id // a leaf: one point, or points that coincide to the last bits
	}
	midX, midY := (x0+x1)/2, (y0+y1)/2
	// Partition ids into quadrants 0 (x<mid,y<mid) 1 (x≥,y<) 2 (x<,y≥) 3 (x≥,y≥).
	quad := func(i int32) int {
		q := 0
		if t.y[2*i] >= midX {
			q |= 1
		}
		if t.y[2*i+1] >= midY {
			q |= 2
		}
		return q
	}
	var counts [4]int32
	for _, i := range ids {
		counts[quad(i)]++
	}
	var bounds [5]int32
	for q := 0; q < 4; q++ {
		bounds[q+1] = bounds[q] + counts[q]
	}
	// Stable counting sort through a scratch copy keeps the order deterministic.
	scratch := t.scratch[start:end]
	next := bounds
	for _, i := range ids {
		q := quad(i)
		scratch[next[q]] = i
		next[q]++
	}
	copy(ids, scratch)
	for q := 0; q < 4; q++ {
		if counts[q] == 0 {
			continue
		}
		qx0, qx1 := x0, midX
		if q&1 != 0 {
			qx0, qx1 = midX, x1
		}
		qy0, qy1 := y0, midY
		if q&2 != 0 {
			qy0, qy1 = midY, y1
		}
		c := t.node(start+bounds[q], start+bounds[q+1], qx0, qy0, qx1, qy1, depth+1)
		t.nodes[id].children[q] = c
	}
	return id
}

// repulsion adds up, for point i at (px, py), the t-SNE repulsion Σⱼ qᵢⱼ²·(yᵢ − yⱼ)
// with unnormalised qᵢⱼ = 1/(1 + ‖yᵢ − yⱼ‖²), into force, summarising a cell by its
// centre of mass when width²/distance² < theta2. It returns Σⱼ qᵢⱼ (j ≠ i).
func (t *quadTree) repulsion(i int, px, py, theta2 float64, force []float64, stack []int32) float64 {
	z, fx, fy := 0.0, 0.0, 0.0
	p := t.pos[i]
	stack = append(stack[:0], 0)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := &t.nodes[id]
		dx, dy := px-nd.cx, py-nd.cy
		d2 := dx*dx + dy*dy
		leaf := nd.children == [4]int32{-1, -1, -1, -1}
		inside := nd.start <= p && p < nd.end
		// A cell holding i itself is only summarised when it is a leaf, without i.
		if leaf || (!inside && nd.width*nd.width < theta2*d2) {
			cnt := float64(nd.end - nd.start)
			if inside {
				cnt-- // not itself; coinciding points sit at d2 ≈ 0
			}
			if cnt <= 0 {
				continue
			}
			q := 1 / (1 + d2)
			z += cnt * q
			f := cnt * q * q
			fx += f * dx
			fy += f * dy
			continue
		}
		for _, c := range nd.children {
			if c >= 0 {
				stack = append(stack, c)
			}
		}
	}
	force[0], force[1] = fx, fy
	return z
}
