package detections

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// gridTolerance is how far apart, in seconds, two times may be and count as
// equal (times read back from a table carry rounding).
const gridTolerance = 1e-6

// WindowGrid reads, from the windows of a scores table, how they were cut:
// windowSeconds, their length, and hopSeconds, the step between consecutive
// starts in a recording (less than windowSeconds when windows overlap). The
// hop is the smallest step between consecutive starts of a recording, and
// every step of every recording must equal it; every window but the last of
// a recording must be windowSeconds long, and the last no longer (a shorter
// final clip). hopSeconds is 0 when no recording has two windows (no step to
// read). Irregular windows — steps of several lengths, two windows at one
// start, windows of several lengths, recordings that disagree — are an error
// naming the recording and the times.
func WindowGrid(keys []embed.Key) (windowSeconds, hopSeconds float64, err error) {
	if len(keys) == 0 {
		return 0, 0, fmt.Errorf("detections: no windows to read a window length from")
	}
	byFile := map[string][]embed.Key{}
	var files []string
	for _, k := range keys {
		if _, ok := byFile[k.File]; !ok {
			files = append(files, k.File)
		}
		byFile[k.File] = append(byFile[k.File], k)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= gridTolerance }
	windowFile, hopFile := "", ""
	longest, longestFile := 0.0, "" // of the windows that may be final ones
	for _, f := range files {
		ks := byFile[f]
		slices.SortFunc(ks, func(a, b embed.Key) int { return cmp.Compare(a.StartSeconds, b.StartSeconds) })
		for j, k := range ks {
			length := k.EndSeconds - k.StartSeconds
			if j == len(ks)-1 {
				if length > longest {
					longest, longestFile = length, f
				}
				continue
			}
			switch {
			case windowFile == "":
				windowSeconds, windowFile = length, f
			case !near(length, windowSeconds):
				return 0, 0, fmt.Errorf("detections: %s: the window at %g s is %g s long; the windows of %s are %g s long", f, k.StartSeconds, length, windowFile, windowSeconds)
			}
		}
		if len(ks) < 2 {
			continue
		}
		step := math.Inf(1)
		for j := 1; j < len(ks); j++ {
			d := ks[j].StartSeconds - ks[j-1].StartSeconds
			if d <= gridTolerance {
				return 0, 0, fmt.Errorf("detections: %s: two windows start at %g s", f, ks[j].StartSeconds)
			}
			step = min(step, d)
		}
		for j := 1; j < len(ks); j++ {
			if d := ks[j].StartSeconds - ks[j-1].StartSeconds; !near(d, step) {
				return 0, 0, fmt.Errorf("detections: %s: windows start at %g and %g s, %g s apart, where the smallest step is %g s: not one hop", f,
					ks[j-1].StartSeconds, ks[j].StartSeconds, d, step)
			}
		}
		switch {
		case hopFile == "":
			hopSeconds, hopFile = step, f
		case !near(step, hopSeconds):
			return 0, 0, fmt.Errorf("detections: %s: windows every %g s; those of %s every %g s", f, step, hopFile, hopSeconds)
		}
	}
	if windowFile == "" { // every recording has one window
		return longest, 0, nil
	}
	if longest > windowSeconds+gridTolerance {
		return 0, 0, fmt.Errorf("detections: %s: its last window is %g s long; the windows of %s are %g s long", longestFile, longest, windowFile, windowSeconds)
	}
	return windowSeconds, hopSeconds, nil
}
