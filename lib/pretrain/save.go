package pretrain

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

// What lib/cmd/pretrain (birds-v1) and lib/cmd/pretraingeneral (general-v1) do
// alike: augment the same way, resume or export a checkpoint, and write the
// weights and record.json.

// Augment is the augmentation both shipped networks were trained with.
var Augment = cnn.Augment{TimeShiftFrames: 20, TimeMasks: 2, TimeMaskFrames: 12, FreqMasks: 2, FreqMaskBands: 6, NoiseStd: 0.02,
	MixupProbability: 0.3, MixupAlpha: 0.4}

// RecordFile is the name of the training record next to a network's weights.
const RecordFile = "record.json"

// LoadCheckpoint reads the network in a checkpoint directory (cnn.TrainOptions'
// CheckpointDir) with its history and the step it was written at: a run cut
// short, to export as it is.
func LoadCheckpoint(dir string) (*cnn.Model, cnn.History, int, error) {
	model, err := cnn.LoadFS(os.DirFS(dir), cnn.CheckpointFile)
	if err != nil {
		return nil, cnn.History{}, 0, err
	}
	history, step, err := cnn.CheckpointHistory(filepath.Join(dir, cnn.CheckpointFile))
	if err != nil {
		return nil, cnn.History{}, 0, err
	}
	return model, history, step, nil
}

// SaveWeights saves the model's weights into dir (cnn.WeightsFile) and returns
// their SHA-256 (cnn.Digest) and size in bytes, for the record.
func SaveWeights(dir string, model *cnn.Model) (sha256Hex string, bytes int, err error) {
	if err := model.Save(dir); err != nil {
		return "", 0, err
	}
	weights, err := os.ReadFile(filepath.Join(dir, cnn.WeightsFile))
	if err != nil {
		return "", 0, fmt.Errorf("pretrain: %w", err)
	}
	return cnn.Digest(weights), len(weights), nil
}

// ClipsPerSecond is the training throughput up to the last record of a history
// trained with batchSize clips a step; 0 when no time was spent.
func ClipsPerSecond(batchSize int, last cnn.Record) float64 {
	if last.ElapsedSeconds > 0 {
		return float64(batchSize*last.Step) / last.ElapsedSeconds
	}
	return 0
}

// WriteRecord writes rec as indented JSON to dir/record.json, atomically.
func WriteRecord(dir string, rec Record) error {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("pretrain: record: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, RecordFile), append(data, '\n'))
}
