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
// FromONNX.
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
