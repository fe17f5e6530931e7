package transfer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
)

// keyVersion changes whenever the computation of a row changes.
const keyVersion = "transfer-v1"

// key is the hex SHA-256 (first 16 bytes) of everything a row of method
// depends on, and nothing else: Scratch rows survive new pretrained weights or
// fine-tuning rates.
func (e *experiment) key(method Method, size int, seed uint64) string {
	o := e.o
	cfg := e.pretrained.Config()
	cfg.Classes = e.corpus.Classes
	arch, _ := json.Marshal(cfg)
	parts := []string{keyVersion, string(method), strconv.Itoa(size), strconv.FormatUint(seed, 10),
		e.corpusKey(), backend.Engine(), fmt.Sprint(o.TestPerClass, o.SplitSeed)}
	if len(e.leftOut) > 0 { // Recordings of several clips change the pool; one clip each keeps the old keys.
		parts = append(parts, fmt.Sprint("left out", e.leftOut))
	}
	schedule := fmt.Sprint(o.Epochs, o.MinSteps, o.MaxSteps, o.BatchSize)
	switch method {
	case Frozen:
		// FineTuneAfter stays in Frozen's key, which it no longer changes (the
		// embeddings are computed from the input, to the same bits), so that
		// cached rows keep their keys.
		parts = append(parts, e.weightsKey(), o.FineTuneAfter, fmt.Sprint(o.LogisticC),
			fmt.Sprint("logistic limits ", classify.DefaultLogisticMaxIter, classify.DefaultLogisticTol))
	case FineTune:
		parts = append(parts, e.weightsKey(), string(arch), o.FineTuneAfter, schedule, fmt.Sprint(o.LearningRate, o.FeatureExtractorLR, o.HeadSteps))
	case Scratch:
		parts = append(parts, string(arch), schedule, fmt.Sprint(o.ScratchLR))
	}
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// corpusKey digests the corpus's images, labels and classes.
func (e *experiment) corpusKey() string {
	if e.corpusDigest == "" {
		h := sha256.New()
		binary.Write(h, binary.LittleEndian, e.corpus.Images)
		for _, l := range e.corpus.Labels.Index {
			binary.Write(h, binary.LittleEndian, int64(l))
		}
		h.Write([]byte(strings.Join(e.corpus.Classes, "\x00")))
		e.corpusDigest = hex.EncodeToString(h.Sum(nil))
	}
	return e.corpusDigest
}

// weightsKey digests the pretrained network's weights.
func (e *experiment) weightsKey() string {
	if e.weightsDigest == "" {
		h := sha256.New()
		for v := range e.pretrained.Context().IterVariables() {
			if !cnn.IsNetworkScope(v.Scope()) {
				continue
			}
			h.Write([]byte(v.Scope() + "/" + v.Name() + "\x00"))
			v.MustValue().ConstBytes(func(data []byte) { h.Write(data) })
		}
		e.weightsDigest = hex.EncodeToString(h.Sum(nil))
	}
	return e.weightsDigest
}
