package pipeline_test

import (
	"fmt"
	"os"
	"testing"
)

// sharedDir holds the test archive, made once for the package's tests.
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dawnchorus-beam-pipeline-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
