package parallel

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// TestRanges: every index of [0, n) is covered once, by contiguous ranges in
// worker order, for worker counts below, at and above n.
func TestRanges(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 1}, {1, 1}, {10, 0}, {10, 1}, {10, 3}, {10, 10}, {7, 12}, {1000, 4}} {
		var mu sync.Mutex
		var got [][2]int
		seen := make([]int, tc.n)
		Ranges(tc.n, tc.workers, func(lo, hi int) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, [2]int{lo, hi})
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		if want := max(tc.workers, 1); len(got) != want {
			t.Errorf("n %d, %d workers: %d ranges, want %d", tc.n, tc.workers, len(got), want)
		}
		for i, c := range seen {
			if c != 1 {
				t.Errorf("n %d, %d workers: index %d covered %d times", tc.n, tc.workers, i, c)
			}
		}
		slices.SortFunc(got, func(a, b [2]int) int { return cmp.Or(a[0]-b[0], a[1]-b[1]) })
		for w, r := range got {
			if tc.workers > 1 && (r[0] != w*tc.n/tc.workers || r[1] != (w+1)*tc.n/tc.workers) {
				t.Errorf("n %d, %d workers: range %d is %v", tc.n, tc.workers, w, r)
			}
		}
	}
}

// TestWorkers: each worker index runs once, concurrently (each waits until all
// have started, which could not happen if they ran one after another: then the
// wait gives up after 5 s and the test fails instead of hanging), and one worker
// runs on the caller.
func TestWorkers(t *testing.T) {
	const workers = 5
	var started atomic.Int32
	all := make(chan struct{})     // closed when every worker has started
	expired := make(chan struct{}) // closed 5 s after the start
	stop := time.AfterFunc(5*time.Second, func() { close(expired) })
	defer stop.Stop()
	var ran [workers]atomic.Int32
	Workers(workers, func(w int) {
		ran[w].Add(1)
		if started.Add(1) == workers {
			close(all)
		}
		select {
		case <-all:
		case <-expired:
			t.Errorf("worker %d: %d of %d workers started within 5 s: they do not run concurrently", w, started.Load(), workers)
		}
	})
	for w := range ran {
		if n := ran[w].Load(); n != 1 {
			t.Errorf("worker %d ran %d times", w, n)
		}
	}
	calls := 0 // no lock: a single worker must run on this goroutine
	Workers(0, func(w int) { calls += w + 1 })
	Workers(1, func(w int) { calls += w + 1 })
	if calls != 2 {
		t.Errorf("one worker: %d calls of fn(0), want 2", calls)
	}
}
