package spectro_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// The two mel scales agree on little: Slaney's is linear below 1 kHz.
func ExampleHzToMel() {
	for _, hz := range []float64{500, 1000, 4000} {
		fmt.Printf("%4.0f Hz: Slaney %5.2f mel, HTK %7.2f mel\n", hz, spectro.HzToMel(hz, spectro.Slaney), spectro.HzToMel(hz, spectro.HTK))
	}
	// Output:
	//  500 Hz: Slaney  7.50 mel, HTK  607.45 mel
	// 1000 Hz: Slaney 15.00 mel, HTK  999.99 mel
	// 4000 Hz: Slaney 35.16 mel, HTK 2146.06 mel
}
