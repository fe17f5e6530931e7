package active_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
)

func TestSplitPool(t *testing.T) {
	x := [][]float32{{0}, {1}, {2}, {3}, {4}}
	labels := []int{10, 11, 12, 13, 14}
	pool, poolLabels, eval := active.MustSplitPool(x, labels, []int{4, 0}, []int{2, 3})
	if len(pool.Embeddings) != 2 || pool.Embeddings[0][0] != 4 || pool.Embeddings[1][0] != 0 || !slices.Equal(poolLabels, []int{14, 10}) {
		t.Errorf("pool %v labels %v, want rows 4, 0 with labels 14, 10", pool.Embeddings, poolLabels)
	}
	if len(eval.Embeddings) != 2 || eval.Embeddings[1][0] != 3 || !slices.Equal(eval.Labels, []int{12, 13}) {
		t.Errorf("eval %v labels %v, want rows 2, 3", eval.Embeddings, eval.Labels)
	}
	for _, tc := range []struct {
		pool, eval []int
		labels     []int
		want       string
	}{
		{[]int{0}, []int{0}, labels, "row 0 is both"},
		{[]int{5}, nil, labels, "pool row 5 of 5"},
		{nil, []int{-1}, labels, "evaluation row -1"},
		{nil, nil, labels[:2], "5 embeddings but 2 labels"},
	} {
		if _, _, _, err := active.SplitPool(x, tc.labels, tc.pool, tc.eval); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("pool %v eval %v: error %v, want %q", tc.pool, tc.eval, err, tc.want)
		}
	}
}
