//go:build !race

package purego

// raceConfig is empty in ordinary builds: ops run in parallel where simplego
// decides to (see race.go for builds with the race detector).
const raceConfig = ""
