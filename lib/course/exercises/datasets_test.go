package exercises

import (
	"os"
	"path/filepath"
	"testing"
)

// repoDatasets is the repository's copy of the course's data sets, seen from this package.
var repoDatasets = filepath.Join("..", "..", "..", "datasets")

// useRepositoryDatasets points Datasets at the repository's copy for one test, and skips
// the test when corpus (e.g. "synth-birds") has not been generated there: `make setup`
// writes every corpus before `make test` runs the tests.
func useRepositoryDatasets(t *testing.T, corpus string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(repoDatasets, corpus, "labels.csv")); err != nil {
		t.Skipf("no %s under %s (make setup writes it): %v", corpus, repoDatasets, err)
	}
	old := Datasets
	Datasets = repoDatasets
	t.Cleanup(func() { Datasets = old })
}
