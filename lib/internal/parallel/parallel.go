// Package parallel is lib/'s one pool of goroutines for indexed jobs whose results
// depend only on their index (rendering a corpus's recordings or a training set's
// clips, describing a label table's rows): each job writes its own place, so the
// output is the same whatever the number of workers and whichever job ends first.
// Workers and Ranges are the plain fan-out of a kernel's loop (purego's Winograd
// convolution, HNSW's batch search and build, HDBSCAN's distances): a fixed number
// of goroutines, each given its worker index or its contiguous share of [0, n).
package parallel

import (
	"runtime"
	"sync"
)

// For calls f(i) for every i in [0, n) on workers goroutines (GOMAXPROCS when
// workers ≤ 0) and returns the error of the lowest i that failed, or nil. Every
// f(i) runs, even after one has failed.
func For(n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = f(i)
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Workers calls fn(w) for every w in [0, workers), each on its own goroutine, and
// returns when all have returned. With workers ≤ 1 it calls fn(0) on the calling
// goroutine (no goroutine is started).
func Workers(workers int, fn func(w int)) {
	if workers <= 1 {
		fn(0)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w)
		}()
	}
	wg.Wait()
}

// Ranges cuts [0, n) into workers contiguous ranges, [w·n/workers, (w+1)·n/workers)
// for worker w, and calls fn(lo, hi) on each as Workers does: with workers ≤ 1,
// fn(0, n) on the calling goroutine.
func Ranges(n, workers int, fn func(lo, hi int)) {
	if workers <= 1 {
		fn(0, n)
		return
	}
	Workers(workers, func(w int) { fn(w*n/workers, (w+1)*n/workers) })
}
