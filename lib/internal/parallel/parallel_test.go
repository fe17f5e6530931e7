package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, tc := range []struct {
		n, workers int
		failAt     []int // indices whose job fails
		wantErr    string
	}{
		{0, 0, nil, ""},
		{1, 1, nil, ""},
		{100, 0, nil, ""},
		{100, 3, nil, ""},
		{7, 20, nil, ""},
		{50, 4, []int{40, 12, 31}, "job 12"},
		{50, 1, []int{49}, "job 49"},
	} {
		name := fmt.Sprintf("n=%d workers=%d fail=%v", tc.n, tc.workers, tc.failAt)
		squares := make([]int, tc.n)
		var calls atomic.Int64
		err := For(tc.n, tc.workers, func(i int) error {
			calls.Add(1)
			squares[i] = i * i
			for _, f := range tc.failAt {
				if i == f {
					return fmt.Errorf("job %d: %w", i, errors.ErrUnsupported)
				}
			}
			return nil
		})
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr+": "+errors.ErrUnsupported.Error()) {
			t.Errorf("%s: error %v, want %q", name, err, tc.wantErr)
		}
		if calls.Load() != int64(tc.n) {
			t.Errorf("%s: %d calls, want every one of %d", name, calls.Load(), tc.n)
		}
		for i, s := range squares {
			if s != i*i {
				t.Fatalf("%s: job %d wrote %d", name, i, s)
			}
		}
	}
}
