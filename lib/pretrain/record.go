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

// Record is a shipped network's training record, record.json next to its weights,
// the one type every shipped network's record is written and read as: birds-v1's
// (lib/cmd/pretrain: Corpus) and the general-v* networks' (lib/cmd/pretraingeneral:
// Data, InitFrom and the per-process and per-source fields). lib/zoo reads every
// record.json into it, for the weights' digest and what Info reports.
//
// The fields only one kind of record has are omitted from the JSON when zero, so
// each kind keeps the fields, names and order it has always had (TestShippedRecords
// re-encodes every shipped record to its bytes). A general-v* record exported from
// a checkpoint of a run cut short (no per-source accuracy) omits
// val_accuracy_by_source.
type Record struct {
	Name   string     `json:"name"`
	Config cnn.Config `json:"config"`
	// Corpus is birds-v1's pretraining corpus; Data the clips a general-v*
	// network was fine-tuned on. A record has one of the two.
	Corpus     CorpusOptions `json:"corpus,omitzero"`
	Data       GeneralData   `json:"data,omitzero"`
	CorpusRule string        `json:"corpus_rule"`
	// InitFrom names the shipped network whose feature extractor started a
	// fine-tuning, InitSHA256 its weights' digest.
	InitFrom   string `json:"init_from,omitempty"`
	InitSHA256 string `json:"init_weights_sha256,omitempty"`
	// Run's RenderSeconds is the wall time of rendering (for general-v*, in
	// the process that wrote the record); TrainSeconds the wall time of
	// training over every process of a resumed run. CPUSeconds is the
	// user+system CPU time of the process that wrote the record (rendering and
	// training); LoadAverage the machine's 1-minute load at its start and end
	// (other jobs share the cores, so wall time alone overstates the cost).
	Run
	CPUSeconds     float64     `json:"cpu_seconds_this_process,omitzero"`
	LoadAverage    [2]float64  `json:"load_average_start_end,omitzero"`
	ClipsPerSecond float64     `json:"train_clips_per_second"`
	Steps          int         `json:"steps"`
	History        cnn.History `json:"history"`
	FinalValAcc    float64     `json:"final_val_accuracy"`
	FinalValLoss   float64     `json:"final_val_loss"`
	// ValAccuracyBySource is the final accuracy on each part of a general-v*
	// validation set ("world", "real" or "real:<set>": GeneralData.RealSource);
	// TrainClips and ValClips count its clips by the same parts.
	ValAccuracyBySource map[string]float64 `json:"val_accuracy_by_source,omitempty"`
	TrainClips          map[string]int     `json:"train_clips_by_source,omitempty"`
	ValClips            map[string]int     `json:"val_clips_by_source,omitempty"`
	WeightsSHA256       string             `json:"weights_sha256"`
	WeightsBytes        int                `json:"weights_bytes"`
	StartedUTC          string             `json:"started_utc"`
	Notes               string             `json:"notes,omitempty"`
}
