package zoo

import (
	"encoding/json"
	"testing"
)

// TestShippedRecord decodes birds-v1's record as the file's own JSON says, field by
// field, and refuses a name that is not shipped.
func TestShippedRecord(t *testing.T) {
	raw, err := Record(BirdsV1)
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Name     string  `json:"name"`
		Accuracy float64 `json:"final_val_accuracy"`
		Steps    int     `json:"steps"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	rec := MustShippedRecord(BirdsV1)
	if rec.Name != want.Name || rec.FinalValAcc != want.Accuracy || rec.Steps != want.Steps || want.Accuracy == 0 {
		t.Errorf("record %q, accuracy %v, %d steps; the file says %+v", rec.Name, rec.FinalValAcc, rec.Steps, want)
	}
	if _, err := ShippedRecord("no-such-model"); err == nil {
		t.Error("an unknown model: want an error")
	}
}
