//go:build !race

package audio

// raceEnabled is true under the race detector, which slows the hour-long test ~20×.
const raceEnabled = false
