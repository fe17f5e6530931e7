package cnn

import (
	"math"
	"strings"
	"testing"
)

// TestRelativeChange works ‖after − before‖ / ‖before‖ out by hand over the "weights"
// variables under a prefix, leaving out biases and other parts.
func TestRelativeChange(t *testing.T) {
	before := map[string][]float32{
		"/extractor/stage3/conv/weights": {3, 0},
		"/extractor/stage3/conv/biases":  {100},
		"/extractor/stage2/conv/weights": {1},
		"/classifier/dense/weights":      {0, 4},
	}
	after := map[string][]float32{
		"/extractor/stage3/conv/weights": {3, 4}, // moved by 4 from a size of 3
		"/extractor/stage3/conv/biases":  {0},
		"/extractor/stage2/conv/weights": {1},
		"/classifier/dense/weights":      {3, 4},
	}
	for _, tc := range []struct {
		prefix string
		want   float64
	}{
		{"/extractor/stage3", 4.0 / 3},
		{"/extractor/stage2", 0},
		{"/classifier", 3.0 / 4},
		{"/extractor", math.Sqrt(16.0 / 10)}, // stage3 and stage2: 4² over 3² + 1²
	} {
		if got := RelativeChange(before, after, tc.prefix); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tc.prefix, got, tc.want)
		}
	}
	if got := RelativeChange(before, after, "/nothing"); !math.IsNaN(got) {
		t.Errorf("no weights under the prefix: %v, want NaN", got)
	}
}

// TestSnapshotAndNumTrainable: a snapshot holds copies of every variable, and the
// trainable values are NumParameters' two parts together.
func TestSnapshotAndNumTrainable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a network")
	}
	m, err := New(tinyConfig(SingleLabel), 1)
	if err != nil {
		t.Fatal(err)
	}
	extractor, classifier := m.NumParameters()
	variables, values := m.NumTrainable()
	if values != extractor+classifier || variables == 0 {
		t.Errorf("NumTrainable = %d variables, %d values; want %d values", variables, values, extractor+classifier)
	}
	first := m.Snapshot()
	weights := 0
	for name, v := range first {
		if strings.HasSuffix(name, "/weights") {
			weights++
			v[0] += 1 // a copy: the network is not changed
		}
	}
	if weights == 0 {
		t.Fatalf("no weights in the snapshot's %d variables", len(first))
	}
	if got := RelativeChange(first, m.Snapshot(), "/"); got == 0 || math.IsNaN(got) {
		t.Errorf("edited copy against the network: change %v, want > 0", got)
	}
	if got := RelativeChange(m.Snapshot(), m.Snapshot(), "/"); got != 0 {
		t.Errorf("two snapshots of one network differ by %v", got)
	}
}
