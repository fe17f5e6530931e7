package runrecord

import (
	"os"
	"strconv"
	"strings"
)

// LoadAverages returns the machine's load averages over 1, 5 and 15 minutes as
// /proc/loadavg gives them ("0.52 0.58 0.59"), or "unknown" where there is no
// such file: benchmarks print it beside their figures, since other jobs on the
// cores change what a run measures.
func LoadAverages() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// LoadAverage returns the 1-minute load average, or 0 where it is unknown.
func LoadAverage() float64 {
	first, _, _ := strings.Cut(LoadAverages(), " ")
	load, err := strconv.ParseFloat(first, 64)
	if err != nil {
		return 0
	}
	return load
}
