package transfer_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/transfer"
)

// The training length of the default experiment: 10 passes over the training
// set, at least 20 and at most 100 steps of 32 clips.
func ExampleOptions_StepsFor() {
	var o transfer.Options
	for _, n := range []int{20, 60, 100, 300, 1000} {
		fmt.Printf("%4d clips: %3d steps\n", n, o.StepsFor(n))
	}
	// Output:
	//   20 clips:  20 steps
	//   60 clips:  20 steps
	//  100 clips:  32 steps
	//  300 clips:  94 steps
	// 1000 clips: 100 steps
}

// Table summarises rows over their seeds: the mean accuracy and its range.
func ExampleTable() {
	rows := []transfer.Row{
		{Method: transfer.Frozen, Size: 20, Seed: 1, Accuracy: 0.50},
		{Method: transfer.Frozen, Size: 20, Seed: 2, Accuracy: 0.60},
		{Method: transfer.Frozen, Size: 100, Seed: 1, Accuracy: 0.80},
		{Method: transfer.Frozen, Size: 100, Seed: 2, Accuracy: 0.90},
		{Method: transfer.FineTune, Size: 100, Seed: 1, Accuracy: 0.75},
	}
	fmt.Print(transfer.Table(rows))
	// Output:
	//    clips  frozen (2 seeds)        finetune (1 seed)
	//       20  0.550 (0.500–0.600)     —
	//      100  0.850 (0.800–0.900)     0.750 (0.750–0.750)
}
