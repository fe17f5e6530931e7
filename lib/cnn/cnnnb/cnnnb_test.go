package cnnnb

import (
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

func TestHTML(t *testing.T) {
	got := HTML(cnn.Progress{Step: 15, Steps: 60, Loss: 0.5, Last: &cnn.Record{Step: 10, ValAccuracy: 0.75, Validated: true}})
	for _, want := range []string{`value="15" max="60"`, "15/60", "loss 0.500", "val acc 0.750 (step 10)", "[=======   "} {
		if !strings.Contains(got, want) {
			t.Errorf("HTML = %s, want it to contain %q", got, want)
		}
	}
}
