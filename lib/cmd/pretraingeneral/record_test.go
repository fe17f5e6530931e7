package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestRecordKeepsShippedJSON reads general-v1's shipped record into Record and
// writes it back: the same bytes, so no field of the record was lost, renamed or
// moved (pretrain.Run's fields stand where they stood).
func TestRecordKeepsShippedJSON(t *testing.T) {
	data, err := os.ReadFile("../../zoo/models/general-v1/record.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec Record
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if string(out)+"\n" != string(data) {
		t.Errorf("general-v1's record.json read into Record and written back differs:\n%s", out)
	}
	if rec.Engine == "" || rec.Train.Steps == 0 || rec.GitCommit == "" {
		t.Errorf("the embedded pretrain.Run read nothing: %+v", rec.Run)
	}
}
