package vec

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestKernels(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 8, 13} {
		a := make([]float32, n)
		b := make([]float32, n)
		var dot, sq, nn float64
		for i := range a {
			a[i] = float32(i) + 0.5
			b[i] = 2 - float32(i)*0.25
			dot += float64(a[i]) * float64(b[i])
			sq += (float64(a[i]) - float64(b[i])) * (float64(a[i]) - float64(b[i]))
			nn += float64(a[i]) * float64(a[i])
		}
		if got := Dot(a, b); math.Abs(float64(got)-dot) > 1e-4*(1+math.Abs(dot)) {
			t.Errorf("n=%d: Dot = %v, want %v", n, got, dot)
		}
		if got := SquaredDistance(a, b); math.Abs(float64(got)-sq) > 1e-4*(1+sq) {
			t.Errorf("n=%d: SquaredDistance = %v, want %v", n, got, sq)
		}
		if got := Norm(a); math.Abs(got-math.Sqrt(nn)) > 1e-9*(1+nn) {
			t.Errorf("n=%d: Norm = %v, want %v", n, got, math.Sqrt(nn))
		}
	}
	// Products: a 2×3 by 3×3 check by hand.
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{1, 0, 0, 0, 1, 0, 1, 1, 1}
	dst := make([]float32, 6)
	Products(dst, a, b, 2, 3, 3)
	if want := []float32{1, 2, 6, 4, 5, 15}; !slices.Equal(dst, want) {
		t.Errorf("Products = %v, want %v", dst, want)
	}
	if got := Finite([]float32{1, float32(math.NaN())}); got != 1 {
		t.Errorf("Finite = %d, want 1", got)
	}
	if got := Finite([]float32{1, 2}); got != -1 {
		t.Errorf("Finite = %d, want -1", got)
	}
}

// TestProductsAgainstFloat64 checks Products against float64 dot products on
// shapes that take both of the matrix product's paths (≤ 4 rows: dot
// products read in place; more: packed blocks), with blocks cut along dim.
func TestProductsAgainstFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct{ m, n, dim int }{{1, 50, 129}, {3, 7, 1536}, {37, 50, 129}, {300, 101, 1536}, {8, 1, 1}} {
		a := make([]float32, c.m*c.dim)
		b := make([]float32, c.n*c.dim)
		for i := range a {
			a[i] = float32(rng.NormFloat64())
		}
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
		dst := make([]float32, c.m*c.n)
		Products(dst, a, b, c.m, c.n, c.dim)
		for i := range c.m {
			for j := range c.n {
				var want float64
				for k := range c.dim {
					want += float64(a[i*c.dim+k]) * float64(b[j*c.dim+k])
				}
				if d := math.Abs(float64(dst[i*c.n+j]) - want); d > 1e-5*float64(c.dim) {
					t.Fatalf("%+v: dst[%d,%d] = %g, want %g", c, i, j, dst[i*c.n+j], want)
				}
			}
		}
	}
}

// TestSquaredDistanceAgainstFloat64 checks SquaredDistance, and its plain-Go
// version, against a float64 sum for every length up to 100 and some long
// ones, at unaligned offsets.
func TestSquaredDistanceAgainstFloat64(t *testing.T) {
	buf := unalignedPairs(9, 10, func(n int, a, b []float32) {
		var want float64
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			want += d * d
		}
		tol := 1e-6 * (want + 1)
		for name, got := range map[string]float32{"SquaredDistance": SquaredDistance(a, b), "squaredDistanceGo": squaredDistanceGo(a, b)} {
			if d := math.Abs(float64(got) - want); d > tol {
				t.Fatalf("%s, n = %d: %g, want %g", name, n, got, want)
			}
		}
	})
	if _, ok := squaredDistanceAsm(buf[:8], buf[8:16]); ok != hasAsm() {
		t.Errorf("assembly kernel used: %v, want %v", ok, hasAsm())
	}
}

// TestAddTo64 checks AddTo64 against the plain loop, bit for bit, for every
// length up to 70 and a long one, at unaligned offsets.
func TestAddTo64(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n <= 70; n++ {
		for _, off := range []int{0, 1, 3} {
			v := make([]float32, n+off)
			acc := make([]float64, n+off+2)
			for i := range v {
				v[i] = float32(rng.NormFloat64() * 1e3)
			}
			for i := range acc {
				acc[i] = rng.NormFloat64()
			}
			want := slices.Clone(acc)
			for i, x := range v[off:] {
				want[off+i] += float64(x)
			}
			AddTo64(acc[off:], v[off:])
			if !slices.Equal(acc, want) {
				t.Fatalf("n = %d, offset %d: %v, want %v", n, off, acc, want)
			}
		}
	}
}

// TestArgmax against the first index of slices.Max on seeded rows with ties
// (values drawn from a few levels), in both float types.
func TestArgmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	for _, n := range []int{1, 2, 3, 5, 17} {
		for range 50 {
			v := make([]float64, n)
			v32 := make([]float32, n)
			for i := range v {
				v[i] = float64(rng.IntN(4)) - 1.5
				v32[i] = float32(v[i])
			}
			want := slices.Index(v, slices.Max(v))
			if got := Argmax(v); got != want {
				t.Fatalf("Argmax(%v) = %d, want %d", v, got, want)
			}
			if got := Argmax(v32); got != want {
				t.Fatalf("Argmax(float32 %v) = %d, want %d", v32, got, want)
			}
		}
	}
	for _, tc := range []struct {
		v    []float32
		want int
	}{
		{nil, 0},
		{[]float32{float32(math.Inf(-1)), -3}, 1},
		{[]float32{2, 5, 5, 1}, 1},
	} {
		if got := Argmax(tc.v); got != tc.want {
			t.Errorf("Argmax(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

// unalignedPairs calls f with operands a and b of n values, for n in 0..100
// and three long lengths (1536, 1537, 1599), at offset n mod 7 into two halves
// of one buffer of Gaussian values seeded by seed1, seed2, and returns the
// buffer.
func unalignedPairs(seed1, seed2 uint64, f func(n int, a, b []float32)) []float32 {
	rng := rand.New(rand.NewPCG(seed1, seed2))
	buf := make([]float32, 2*1600+8)
	for i := range buf {
		buf[i] = float32(rng.NormFloat64())
	}
	lengths := []int{1536, 1537, 1599}
	for n := 0; n <= 100; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		off := n % 7
		f(n, buf[off:off+n], buf[1600+off:1600+off+n])
	}
	return buf
}

// TestFiniteAgainstMath: Finite finds the first NaN or ±Inf at every position
// of slices of 0-21 values (inside and after the 8-value blocks), and none
// among the largest, smallest, subnormal and signed-zero finite values.
func TestFiniteAgainstMath(t *testing.T) {
	bad := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(0xffc00001)}
	good := []float32{math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1)), 1, -3.3e38, math.Float32frombits(0x7f7fffff)}
	want := func(a []float32) int {
		for i, v := range a {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return i
			}
		}
		return -1
	}
	for n := range 22 {
		a := make([]float32, n)
		for i := range a {
			a[i] = good[i%len(good)]
		}
		if got := Finite(a); got != -1 {
			t.Fatalf("n %d, all finite: Finite = %d", n, got)
		}
		for pos := range n {
			for _, v := range bad {
				b := slices.Clone(a)
				b[pos] = v
				if pos+3 < n {
					b[pos+3] = bad[0] // A later one must not be reported.
				}
				if got, w := Finite(b), want(b); got != w || got != pos {
					t.Fatalf("n %d, %v at %d: Finite = %d, want %d", n, v, pos, got, w)
				}
			}
		}
	}
}
