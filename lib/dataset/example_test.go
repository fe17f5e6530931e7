package dataset_test

import (
	"fmt"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// Turning a Raven selection table into labels for 5 s clips.
func ExampleClipLabels() {
	raven := "Selection\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\n" +
		"1\t1.2\t2.0\t3000\t5000\tamro\n" +
		"2\t4.9\t6.5\t2000\t4000\tbcch\n"
	selections, err := dataset.ParseRaven(strings.NewReader(raven), "dawn.Raven.txt", "Species")
	if err != nil {
		panic(err)
	}
	clips, err := dataset.ClipSpans(10, dataset.ClipOptions{ClipSeconds: 5})
	if err != nil {
		panic(err)
	}
	labels := dataset.ClipLabels("dawn.wav", clips, selections, dataset.OverlapOptions{MinOverlapSeconds: 0.25})
	fmt.Println(labels.Classes)
	for _, r := range labels.Rows {
		fmt.Println(r.File, r.StartSeconds, r.EndSeconds, r.Labels)
	}
	// Output:
	// [amro bcch]
	// dawn.wav 0 5 [1 0]
	// dawn.wav 5 10 [0 1]
}
