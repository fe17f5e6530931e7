package selfcheck_test

import (
	"math"

	"github.com/dawnchorus/dawnchorus/lib/selfcheck"
)

func Example() {
	predicted := 0.35 // a student's answer
	check := selfcheck.New()
	check.Near("exercise 2: RMS of 0.5·sin", predicted, 0.5/math.Sqrt2, 0.005,
		"a sine's RMS is its amplitude divided by √2")
	check.Equal("exercise 3: frames at hop 32", 1377, 1377, "samples / hop, plus one")
	check.Done()
	// Output:
	// ✓ exercise 2: RMS of 0.5·sin: right (0.35)
	// ✓ exercise 3: frames at hop 32: right (1377)
	// all 2 checks pass
}
