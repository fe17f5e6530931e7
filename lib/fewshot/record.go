package fewshot

import (
	"encoding/json"
	"fmt"
	"os"
)

// TransferRecord is a model's transfer-learning quality record, transfer.json beside its
// weights, as lib/cmd/transfercheck writes it: Compare's comparison of the pretrained
// embedding with handcrafted features and an untrained network of the same architecture
// on a corpus of new species, and whether the embedding leads both by the required margin.
type TransferRecord struct {
	Model string `json:"model"`
	// WeightsDigest is the model's Info().Digest (SHA-256 of its weights): the
	// record is stale when it differs from the shipped weights'.
	WeightsDigest string `json:"weights_digest"`
	Corpus        string `json:"corpus"`
	// Features names the three feature sets, in the order of Comparison.Results.
	Pretrained  string      `json:"pretrained"`
	Handcrafted string      `json:"handcrafted"`
	Untrained   string      `json:"untrained"`
	Comparison  *Comparison `json:"comparison"`
	// MarginVsHandcrafted and MarginVsUntrained are the pretrained embedding's
	// lead in mean test accuracy, in percentage points.
	MarginVsHandcrafted float64 `json:"margin_points_vs_handcrafted"`
	MarginVsUntrained   float64 `json:"margin_points_vs_untrained"`
	RequiredMargin      float64 `json:"required_margin_points"`
	Pass                bool    `json:"pass"`
	Engine              string  `json:"engine"`
	GOMAXPROCS          int     `json:"gomaxprocs"`
	GitCommit           string  `json:"git_commit"`
	MeasuredUTC         string  `json:"measured_utc"`
	Seconds             float64 `json:"seconds"`
}

// Verdict fills in the margins and Pass from the comparison.
func (r *TransferRecord) Verdict() {
	r.MarginVsHandcrafted = r.Comparison.MarginPoints(r.Pretrained, r.Handcrafted)
	r.MarginVsUntrained = r.Comparison.MarginPoints(r.Pretrained, r.Untrained)
	r.Pass = r.MarginVsHandcrafted >= r.RequiredMargin && r.MarginVsUntrained >= r.RequiredMargin
}

// ReadTransferRecord reads a transfer.json that lib/cmd/transfercheck wrote. The error
// wraps the file system's (errors.Is(err, fs.ErrNotExist) when there is none yet).
func ReadTransferRecord(path string) (*TransferRecord, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fewshot: %w", err)
	}
	var r TransferRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("fewshot: %s: %w", path, err)
	}
	if r.Comparison == nil {
		return nil, fmt.Errorf("%w: %s holds no comparison", ErrInput, path)
	}
	return &r, nil
}
