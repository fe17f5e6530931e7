package runrecord

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestLoadAverages: on a machine with /proc/loadavg, three non-negative numbers,
// the first of which LoadAverage returns (read again, so within what a few
// microseconds can change: the kernel updates it every 5 s).
func TestLoadAverages(t *testing.T) {
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		if got := LoadAverages(); got != "unknown" || LoadAverage() != 0 {
			t.Errorf("without /proc/loadavg: %q, %v; want unknown, 0", got, LoadAverage())
		}
		return
	}
	f := strings.Fields(LoadAverages())
	if len(f) != 3 {
		t.Fatalf("LoadAverages() = %q, want three numbers", f)
	}
	for _, s := range f {
		if v, err := strconv.ParseFloat(s, 64); err != nil || v < 0 {
			t.Errorf("load %q: %v", s, err)
		}
	}
	if l := LoadAverage(); l < 0 {
		t.Errorf("LoadAverage() = %v", l)
	}
}
