package features

import (
	"slices"
	"strings"
	"testing"
)

// TestColumn picks a feature's values by name and refuses an unknown name or a short row.
func TestColumn(t *testing.T) {
	names := []string{"f0_mean_hz", "duration_s"}
	described := [][]float32{{1000, 0.5}, {2500, 1.25}}
	if got := MustColumn(names, described, "duration_s"); !slices.Equal(got, []float64{0.5, 1.25}) {
		t.Errorf("duration_s = %v, want 0.5, 1.25", got)
	}
	if _, err := Column(names, described, "bandwidth"); err == nil || !strings.Contains(err.Error(), `"bandwidth"`) {
		t.Errorf("unknown name: error %v, want one naming it", err)
	}
	if _, err := Column(names, [][]float32{{1}}, "f0_mean_hz"); err == nil || !strings.Contains(err.Error(), "row 0") {
		t.Errorf("short row: error %v, want one naming row 0", err)
	}
}
