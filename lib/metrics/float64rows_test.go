package metrics

import (
	"reflect"
	"testing"
)

func TestFloat64Rows(t *testing.T) {
	tests := []struct {
		in   [][]float32
		want [][]float64
	}{
		{nil, [][]float64{}},
		{[][]float32{{0.5, 0.25}, {}, {1}}, [][]float64{{0.5, 0.25}, {}, {1}}},
		{[][]float32{{0.1}}, [][]float64{{float64(float32(0.1))}}}, // exact, not rounded to 0.1
	}
	for _, tc := range tests {
		if got := Float64Rows(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Float64Rows(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
