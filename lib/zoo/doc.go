// Package zoo holds pretrained models by name: the feature extractors a lesson or a
// researcher loads to turn clips into embeddings, without training anything.
//
// A model is anything that maps fixed-length mono clips to embeddings and can say
// what it expects (Info): the sample rate in Hz, the clip length in seconds, the
// spectrogram settings of its front end, the embedding size, the classes of its
// pretraining head, the data it was trained on and its licence. Models register
// themselves by name; List names them and Load builds one.
//
// The course's own models ship inside the Go module (their weights are embedded
// with go:embed), so a student offline has them with no download. External models
// exported to ONNX (the route for BirdNET- or Perch-style exports) load through
// FromONNX, or, as zoo entries, from a config file (ExternalConfig): Load takes
// its path, RegisterExternal and $DAWNCHORUS_MODELS register it by name. An
// external model may bring its own classifier (BirdNET's species logits): the
// config's scores, classes and activation keys give it a ClassHead, and
// ClassScores turns clips into per-class scores in [0, 1].
// ONNX_OPS.md lists the ONNX operators FromONNX runs (onnx-gomlx's, and a few
// it rewrites into them); a model needing another fails to load naming it.
//
// Model.Embed takes the clips' sample rate: clips at another rate than the
// model's are resampled (lib/audio), never read as if they were at its rate. A
// CNN model's front end keeps the level rule it was trained with (see
// SpectrogramInfo.Level): birds-v1 scales each clip to its own peak.
//
// Embedding is deterministic in inference mode: the same clip gives the same
// embedding, bit for bit, on the same engine. EmbedOptions.Training turns on the
// stochastic layers (dropout) only to show the difference.
package zoo
