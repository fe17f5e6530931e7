package zoo

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/pretrain"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// BirdsV1 is the name of the course's pretrained feature extractor: the bird
// specialist.
const BirdsV1 = "birds-v1"

// GeneralV1 is the name of the extractor trained for generality: birds-v1
// fine-tuned on animals of four taxa under domain randomisation and on real
// speech and everyday sounds (lib/cmd/pretraingeneral).
const GeneralV1 = "general-v1"

// GeneralV2 is general-v1 trained further (2000 steps more, on 6 scenes per
// pretraining animal instead of 4, and on datasets/real-pretrain as it is now:
// 45 classes, one more than general-v1 saw): the extractor for real sound and
// for sound that is not birds.
const GeneralV2 = "general-v2"

// birdsFS holds the shipped weights and their training records, written by
// lib/cmd/pretrain (`make pretrain`) and lib/cmd/pretraingeneral (`make
// pretrain-general`).
//
//go:embed models/birds-v1/weights.dcnn models/birds-v1/record.json models/general-v1/weights.dcnn models/general-v1/record.json
//go:embed models/general-v2/weights.dcnn models/general-v2/record.json
var birdsFS embed.FS

func init() {
	Register(BirdsV1, "small ResNet (3 residual stages, 128-d embedding) pretrained on 200 synthetic bird species; "+
		"the other 120 species of the catalogue are held out for transfer learning", func() (Model, error) {
		return loadShippedCNN(BirdsV1)
	})
	Register(GeneralV1, "birds-v1's network fine-tuned for generality: 272 synthetic birds, frogs, insects and mammals under "+
		"domain randomisation (distance, reverberation, recorders, clipping, backgrounds) and 44 classes of real speech and "+
		"everyday sounds; every held-out species and every evaluation recording stays out", func() (Model, error) {
		return loadShippedCNN(GeneralV1)
	})
	Register(GeneralV2, "general-v1 trained further on the same kinds of sound (more scenes of the 272 synthetic animals, "+
		"45 classes of real speech and everyday sounds); every held-out species and every evaluation recording stays out", func() (Model, error) {
		return loadShippedCNN(GeneralV2)
	})
}

// shipped lists the models whose weights ship in this package.
var shipped = map[string]string{BirdsV1: "models/birds-v1", GeneralV1: "models/general-v1", GeneralV2: "models/general-v2"}

// trainedOn says in a few words what each shipped network's classifier was
// trained to tell apart (CNNInfo's description).
var trainedOn = map[string]string{
	GeneralV1: "%d classes (272 synthetic animals of four taxa, 44 classes of real speech and everyday sounds), fine-tuned from birds-v1",
	GeneralV2: "%d classes (272 synthetic animals of four taxa, 45 classes of real speech and everyday sounds), trained further from general-v1",
}

// licences are the shipped networks' licences, where they differ from the
// default (weights trained on generated data only).
var licences = map[string]string{
	GeneralV1: realPretrainLicence,
	GeneralV2: realPretrainLicence,
}

// realPretrainLicence is the licence note of the networks trained on
// datasets/real-pretrain.
const realPretrainLicence = "trained by the dawnchorus authors on generated data and on datasets/real-pretrain's recordings, which are GPL-2+ " +
	"(KLettres, KTuberling) and CC-BY-SA-3.0 (Scratch): see datasets/real-pretrain/DATASHEET.md; those terms may reach the weights"

// Record returns the training record of a shipped model (the whole
// record.json, as written by lib/cmd/pretrain).
func Record(name string) ([]byte, error) {
	dir, err := shippedDir(name)
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(birdsFS, dir+"/record.json")
}

// shippedDir returns the folder of birdsFS that holds the shipped network name.
func shippedDir(name string) (string, error) {
	dir, ok := shipped[name]
	if !ok {
		return "", fmt.Errorf("zoo: %q is not a shipped CNN", name)
	}
	return dir, nil
}

// LoadCNN returns a fresh copy of a shipped network as a *cnn.Model, classifier
// included, so that a lesson can fine-tune it (cnn.Train with
// FreezeFeatureExtractor or FeatureExtractorLR). Each call gives a new copy.
// The weights must have the SHA-256 their training record (record.json, written
// with them by lib/cmd/pretrain) gives: birds-v1's weights file predates
// checksums inside weights files (format v1), and the record vouches for it.
func LoadCNN(name string) (*cnn.Model, error) {
	m, _, err := loadShippedNet(name)
	return m, err
}

// loadShippedNet loads a shipped network, its weights checked against its
// training record's SHA-256, and returns it with that record.
func loadShippedNet(name string) (*cnn.Model, pretrain.Record, error) {
	dir, err := shippedDir(name)
	if err != nil {
		return nil, pretrain.Record{}, err
	}
	rec, err := shippedRecord(name)
	if err != nil {
		return nil, pretrain.Record{}, err
	}
	m, err := cnn.LoadFSDigest(birdsFS, dir+"/"+cnn.WeightsFile, rec.WeightsSHA256)
	if err != nil {
		return nil, pretrain.Record{}, fmt.Errorf("zoo: %s: %w", name, err)
	}
	return m, rec, nil
}

// WeightsDigest returns the SHA-256 (hex) of a shipped network's weights — its
// Info().Digest — from its training record, without loading the network:
// LoadCNN and Load check the weights against this digest.
func WeightsDigest(name string) (string, error) {
	rec, err := shippedRecord(name)
	if err != nil {
		return "", err
	}
	return rec.WeightsSHA256, nil
}

// MustLoadCNN is LoadCNN that panics on error, for notebooks.
func MustLoadCNN(name string) *cnn.Model {
	m, err := LoadCNN(name)
	if err != nil {
		panic(err)
	}
	return m
}

// cnnModel adapts a *cnn.Model to Model.
type cnnModel struct {
	info Info
	net  *cnn.Model
}

// loadShippedCNN loads a shipped network and describes it.
func loadShippedCNN(name string) (Model, error) {
	net, rec, err := loadShippedNet(name)
	if err != nil {
		return nil, err
	}
	// LoadFSDigest checked that the weights' SHA-256 is the record's.
	return &cnnModel{info: CNNInfo(name, net, rec, rec.WeightsSHA256), net: net}, nil
}

// shippedRecord reads a shipped model's record.json.
func shippedRecord(name string) (pretrain.Record, error) {
	raw, err := Record(name)
	if err != nil {
		return pretrain.Record{}, err
	}
	var rec pretrain.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return pretrain.Record{}, fmt.Errorf("zoo: %s: record.json: %w", name, err)
	}
	if rec.WeightsSHA256 == "" {
		return pretrain.Record{}, fmt.Errorf("zoo: %s: record.json gives no weights_sha256 to check the weights against", name)
	}
	return rec, nil
}

// CNNInfo describes a lib/cnn network: name, its front end, layers and classes,
// the training data from its record, and the digest of its weights.
func CNNInfo(name string, net *cnn.Model, rec pretrain.Record, digest string) Info {
	cfg := net.Config()
	fe := net.FrontEnd().Options
	what, ok := trainedOn[name]
	if !ok {
		what = "%d synthetic bird species"
	}
	licence, ok := licences[name]
	if !ok {
		licence = "CC0-1.0 (weights trained by the dawnchorus authors on generated data; no third-party data)"
	}
	return Info{
		Name: name,
		Description: fmt.Sprintf("A small ResNet (stem of %d channels, residual stages of %v channels, %d block(s) each, batch norm, "+
			"global mean pooling) trained with a softmax over "+what+"; its %d-d embedding feeds shallow classifiers.",
			cfg.StemChannels, cfg.StageChannels, cfg.BlocksPerStage, len(cfg.Classes), cfg.EmbeddingSize),
		SampleRateHz: fe.SampleRateHz,
		ClipSeconds:  fe.ClipSeconds,
		Spectrogram: SpectrogramInfo{NFFT: fe.NFFT, HopLength: fe.Hop, NumMels: fe.NumMels, FMinHz: fe.FMinHz, FMaxHz: fe.FMaxHz,
			Level: fe.Level, FloorDBFS: fe.FloorDBFS, Scale: ScaleDescription(fe)},
		EmbeddingSize: cfg.EmbeddingSize,
		Layers:        cfg.LayerNames(),
		Classes:       cfg.Classes,
		TrainingData: fmt.Sprintf("%s. %d steps on %s, validation accuracy %.3f (commit %s).",
			rec.CorpusRule, rec.Steps, rec.Engine, rec.FinalValAcc, rec.GitCommit),
		Licence: licence,
		Digest:  digest,
	}
}

// ScaleDescription says in words how a front end scales its images
// (SpectrogramInfo.Scale).
func ScaleDescription(fe spectro.FrontEndOptions) string {
	if fe.Level == spectro.LevelPeak {
		return fmt.Sprintf("mel power (Slaney) in dB relative to the clip's peak, floored %g dB below it, mapped linearly to [0, 1] "+
			"(lib/spectro FrontEnd, level rule %q: every clip, however quiet, fills the range)", fe.TopDB, fe.Level)
	}
	return fmt.Sprintf("mel power (Slaney) in dB relative to the clip's peak or to %g dBFS, whichever is louder, floored %g dB below it, "+
		"mapped linearly to [0, 1] (lib/spectro FrontEnd, level rule %q: nothing below %g dBFS shows)", fe.FloorDBFS+fe.TopDB, fe.TopDB, fe.Level, fe.FloorDBFS)
}

// Info describes the model.
func (m *cnnModel) Info() Info { return m.info }

// Embed implements Model.
func (m *cnnModel) Embed(clips [][]float32, sampleRateHz int, o EmbedOptions) ([][]float32, error) {
	clips, err := AtModelRate(m.info, clips, sampleRateHz)
	if err != nil {
		return nil, err
	}
	if err := checkClipLengths(m.info, clips); err != nil {
		return nil, err
	}
	out, err := m.net.Embed(clips, o)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", m.info.Name, err)
	}
	return out, nil
}
