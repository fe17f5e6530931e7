package zoo

import (
	"encoding/json"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/pretrain"
)

// Untrained returns the architecture of the shipped network name with freshly
// initialised, untrained weights (cnn.New with the shipped configuration and
// seed): the baseline that shows what pretraining adds, since it has the same
// layers, front end and embedding size and differs only in its weights. The
// model is called "<name>-untrained-seed<seed>"; its Digest is the SHA-256 of
// that name and the configuration, which with the seed fix its weights (on one
// engine), so embedding caches key on it as on trained weights.
func Untrained(name string, seed uint64) (Model, error) {
	dir, err := shippedDir(name)
	if err != nil {
		return nil, err
	}
	cfg, err := cnn.ReadConfigFS(birdsFS, dir+"/"+cnn.WeightsFile)
	if err != nil {
		return nil, fmt.Errorf("zoo: untrained %s: %w", name, err)
	}
	net, err := cnn.New(cfg, seed)
	if err != nil {
		return nil, fmt.Errorf("zoo: untrained %s: %w", name, err)
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("zoo: untrained %s: %w", name, err)
	}
	untrainedName := fmt.Sprintf("%s-untrained-seed%d", name, seed)
	info := CNNInfo(untrainedName, net, pretrain.Record{CorpusRule: "untrained: weights freshly initialised by cnn.New with seed " + fmt.Sprint(seed)},
		cnn.Digest([]byte(untrainedName), cfgJSON))
	info.Description = fmt.Sprintf("The architecture of %s with untrained weights (initialised with seed %d): a baseline for what pretraining adds.", name, seed)
	info.TrainingData = "none: untrained"
	return &cnnModel{info: info, net: net}, nil
}

// MustUntrained is Untrained that panics on error, for notebooks.
func MustUntrained(name string, seed uint64) Model {
	m, err := Untrained(name, seed)
	if err != nil {
		panic(err)
	}
	return m
}
