//go:build race

package purego

// raceConfig is prepended to the engine's configuration in builds with the race
// detector: simplego v0.26.0's parallel executor reads its per-input use
// counters without its lock (simplego/exec.go, executeNode), which -race
// reports whenever two ops run at once. Running ops one at a time avoids it;
// the kernels themselves still use the worker pool.
const raceConfig = "ops_sequential"
