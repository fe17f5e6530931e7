// Package cnn holds the course's convolutional networks for spectrogram clips:
// the architecture, training, augmentation, checkpoints, and freezing and
// fine-tuning.
//
// # The network
//
// A clip (mono samples at 22050 Hz, 3 s by default) becomes an image through
// the one front end the course uses everywhere (spectro.FrontEnd): [time, mel]
// values in [0, 1], 130 × 64 for the defaults. The network reads it as a tensor
// [batch, time, mel, 1] and is split in two, explicitly:
//
//   - FeatureExtractor: every layer up to the embedding — a 3×3 stride-2
//     convolution ("stem"), residual stages ("stage1", …; each halves time and
//     frequency) with batch normalisation, and the mean over time and frequency
//     ("embedding", 128 values by default). Its variables live under the scope
//     ExtractorScope.
//   - Classifier: the last layer, one dense layer from the embedding to a logit
//     per class, under ClassifierScope; softmax for SingleLabel heads, one
//     sigmoid per class for MultiLabel ones. Dropout (Config.Dropout) acts on
//     the embedding in training, before the classifier.
//
// Embed reads any named layer, pooled by mean or max over time and frequency;
// it is deterministic in inference mode (the same clip gives the same
// embedding, bit for bit, on the same engine, whatever other clips come with
// it), and EmbedOptions.Training turns dropout on to show the difference.
//
// # Training
//
// Train counts optimizer steps of BatchSize images. The optimizer is our own
// AdamW (decoupled weight decay, none on biases and batch-norm parameters) with
// one learning rate per scope, because fine-tuning needs a smaller rate for a
// pretrained extractor than for its new classifier, and GoMLX's Adam has one
// rate for all variables. The rates follow a linear warm-up then a cosine decay
// (RateFactor). FreezeFeatureExtractor trains the classifier alone and keeps the
// extractor bit-identical (its batch normalisation runs in inference mode).
// For transfer learning, WithClassifier puts a new classifier for new classes
// on a copy of a (pretrained) extractor, and DatasetAt computes once the
// outputs of the layers to keep frozen: Train on that dataset runs and updates
// only the layers after it, so fine-tuning the last stage costs a fraction of
// a whole network's step.
// Training batches are augmented (Augment: time shift, time and frequency
// masks, noise, mixup) from a generator seeded by TrainOptions.Seed and the
// step, so the same seed and engine give the same weights; a checkpoint
// (CheckpointDir) holds the weights, the optimizer's moments, the random state
// and the history, is written atomically, and a resumed run ends with the same
// weights as an uninterrupted one. Every EvalEvery steps a Record holds the
// training loss and accuracy (mean since the last record) and the validation
// ones; TerminalProgress draws a bar, and package cnnnb one that updates in
// place in a notebook.
//
// # Files
//
// Save writes the network (configuration and weights, float32) to one file,
// WeightsFile, atomically; Load and LoadFS read it back (LoadFS from an
// embedded file system). Weights and checkpoint files end in the SHA-256 of
// their contents (format v2): a file changed after it was written — one digit
// of the header, one bit of a weight, a cut end — is refused with an error
// wrapping ErrDamaged ("checkpoint damaged", naming the file), by Load, by
// Train's resume and by CheckpointHistory. Files of format v1, written before,
// have no checksum: they are refused (ErrNoChecksum: a v1 checkpoint is not
// resumed, delete it to start over) unless LoadFSDigest vouches for them with
// a digest kept elsewhere, as lib/zoo does for birds-v1 with its record's.
//
// The configuration recorded in a file includes the front end's level rule
// (spectro.FrontEndOptions.Level): a network is always fed images made with the
// rule it was trained with. New networks (New with a zero FrontEnd, as in
// training from scratch and lib/cmd/pretrain) get the new default,
// spectro.LevelFloor; files recorded before the rule existed read as
// spectro.LevelPeak; WithClassifier and fine-tuning keep the rule of the
// network they start from.
package cnn
