package detections_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/detections"
	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// A bird sings through four touching 3 s windows, with a dip in the third:
// merged whole they make one detection, which can match only one call; cut
// to 3 s or split at the dip, they make several.
func ExampleDetect() {
	scores := &detections.Scores{Classes: []string{"wren"}}
	for i, score := range []float32{0.9, 0.95, 0.6, 0.9} {
		start := 3 * float64(i)
		scores.Append([]embed.Key{{File: "dawn.wav", StartSeconds: start, EndSeconds: start + 3}}, [][]float32{{score}})
	}
	for _, o := range []detections.Options{
		{MinConfidence: 0.5, Merge: true},
		{MinConfidence: 0.5, Merge: true, SplitDrop: 0.2},
		{MinConfidence: 0.5, Merge: true, MaxEventSeconds: 6},
	} {
		dets, err := detections.Detect(scores, o)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("drop %g, at most %g s:", o.SplitDrop, o.MaxEventSeconds)
		for _, d := range dets {
			fmt.Printf(" %g–%g s (%.2f)", d.StartSeconds, d.EndSeconds, d.Confidence)
		}
		fmt.Println()
	}
	_, err := detections.Detect(scores, detections.Options{MaxEventSeconds: -1})
	fmt.Println(err)
	// Output:
	// drop 0, at most 0 s: 0–12 s (0.95)
	// drop 0.2, at most 0 s: 0–9 s (0.95) 9–12 s (0.90)
	// drop 0, at most 6 s: 0–6 s (0.95) 6–12 s (0.90)
	// detections: MaxEventSeconds -1: want seconds ≥ 0 (0: no cap)
}
