package pretrain

import "github.com/dawnchorus/dawnchorus/lib/cnn"

// Run is what every shipped network's record says of how it was trained: the
// options, seed, engine, machine, commit and wall times. Records embed it, so
// its fields stand in their JSON at the place of the embedding.
type Run struct {
	Train      cnn.TrainOptions `json:"train"`
	ModelSeed  uint64           `json:"model_seed"`
	Engine     string           `json:"engine"`
	GOMAXPROCS int              `json:"gomaxprocs"`
	GitCommit  string           `json:"git_commit"`
	// RenderSeconds is the wall time of rendering the training data,
	// TrainSeconds that of training.
	RenderSeconds float64 `json:"render_seconds"`
	TrainSeconds  float64 `json:"train_seconds"`
}

// Record is a shipped network's training record, record.json next to its weights:
// birds-v1's as lib/cmd/pretrain writes it. lib/zoo reads every shipped model's
// record.json into it, for the weights' digest and what Info reports; general-v1's
// record (lib/cmd/pretraingeneral) writes those fields under the same names, with
// its data sources in place of Corpus.
type Record struct {
	Name       string        `json:"name"`
	Config     cnn.Config    `json:"config"`
	Corpus     CorpusOptions `json:"corpus"`
	CorpusRule string        `json:"corpus_rule"`
	Run
	ClipsPerSecond float64     `json:"train_clips_per_second"`
	Steps          int         `json:"steps"`
	History        cnn.History `json:"history"`
	FinalValAcc    float64     `json:"final_val_accuracy"`
	FinalValLoss   float64     `json:"final_val_loss"`
	WeightsSHA256  string      `json:"weights_sha256"`
	WeightsBytes   int         `json:"weights_bytes"`
	StartedUTC     string      `json:"started_utc"`
	Notes          string      `json:"notes,omitempty"`
}
