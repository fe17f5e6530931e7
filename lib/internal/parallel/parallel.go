// Package parallel is lib/'s one pool of goroutines for indexed jobs whose results
// depend only on their index (rendering a corpus's recordings or a training set's
// clips, describing a label table's rows): each job writes its own place, so the
// output is the same whatever the number of workers and whichever job ends first.
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
