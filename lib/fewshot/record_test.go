package fewshot

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestReadTransferRecord reads the shipped birds-v1 record and checks it against the
// file's own JSON, then a missing file and a record without a comparison.
func TestReadTransferRecord(t *testing.T) {
	path := "../zoo/models/birds-v1/transfer.json"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no shipped transfer.json: %v", err)
	}
	var want struct {
		Margin  float64 `json:"margin_points_vs_handcrafted"`
		Pass    bool    `json:"pass"`
		Results []struct {
			Mean float64 `json:"mean"`
		} `json:"results"`
	}
	var outer struct {
		Comparison json.RawMessage `json:"comparison"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &outer); err != nil || json.Unmarshal(outer.Comparison, &want) != nil {
		t.Fatal("the file's comparison does not decode")
	}
	r, err := ReadTransferRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.MarginVsHandcrafted != want.Margin || r.Pass != want.Pass || len(r.Comparison.Results) != len(want.Results) ||
		r.Comparison.Results[0].Mean != want.Results[0].Mean {
		t.Errorf("record margin %v, pass %v, %d results; the file: %+v", r.MarginVsHandcrafted, r.Pass, len(r.Comparison.Results), want)
	}
	dir := t.TempDir()
	if _, err := ReadTransferRecord(filepath.Join(dir, "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error %v, want fs.ErrNotExist", err)
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, []byte(`{"pass": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTransferRecord(empty); !errors.Is(err, ErrInput) {
		t.Errorf("no comparison: error %v, want ErrInput", err)
	}
}
