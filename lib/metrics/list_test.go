package metrics

import "testing"

func TestList(t *testing.T) {
	for _, c := range []struct {
		name, got, want string
	}{
		{"ints", List("%d", []int{6, -1, 12}), "6, -1, 12"},
		{"floats to 3 decimals", List("%.3f", []float32{0.0781, 0.0176, 0.9344}), "0.078, 0.018, 0.934"},
		{"seeds", List("%d", []uint64{1, 2, 3}), "1, 2, 3"},
		{"one", List("%g", []float64{2.5}), "2.5"},
		{"none", List("%d", []int(nil)), ""},
	} {
		if c.got != c.want {
			t.Errorf("%s: List = %q, want %q", c.name, c.got, c.want)
		}
	}
}
