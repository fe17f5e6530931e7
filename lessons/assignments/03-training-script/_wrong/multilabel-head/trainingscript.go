// Package trainingscript, wrong: Config gives the network a multi-label (sigmoid)
// head, though every clip holds exactly one species.
//
// caught by: TestConfigHead
package trainingscript

import (
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

func Config(classes []string) cnn.Config {
	// BEGIN SOLUTION
	return cnn.Config{
		FrontEnd: spectro.FrontEndOptions{Hop: 1024, NumMels: 32},
		Dropout:  0.2,
		Head:     cnn.MultiLabel,
		Classes:  classes,
	}
	// END SOLUTION
}
