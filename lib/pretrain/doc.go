// Package pretrain holds what makes the feature extractor that ships in lib/zoo as
// birds-v1: the pretraining corpus and its rule (CorpusOptions: which species of the
// lib/synth catalogue are pretrained and which are held out for the lessons' transfer
// learning, and how each clip is drawn), and the training record written next to the
// weights (Record), which lib/zoo reads back.
//
// The rule: a catalogue of seed 1 and 40 families × 8 species — the same catalogue as
// the course's corpus datasets/synth-birds (species identity depends only on the
// catalogue's seed and size). The first HeldOut (3) species of EVERY family are held
// out (120 species: datasets/synth-birds' 12 and all the others the lessons may draw),
// and the network is trained on the other 5 of each family (200 species). Each clip is
// a 3 s recording at 22050 Hz of one random individual (of 10) of one species, over
// pink/brown/wind/rain noise at a uniform SNR, with up to two distant songs of other
// pretraining species; every clip depends only on the data seed and its index.
//
// The general-v* networks (lib/cmd/pretraingeneral) fine-tune birds-v1 on scenes of
// lib/synth's harder world mixed with real recordings; which ones, and their rule in
// words, is GeneralData. Record is the one type of every shipped network's record.
//
// What both shipped networks' commands (lib/cmd/pretrain, lib/cmd/pretraingeneral)
// do alike is here too: the augmentation (Augment), exporting a checkpoint
// (LoadCheckpoint), and writing the weights and record.json (SaveWeights,
// ClipsPerSecond, WriteRecord).
//
// lib/cmd/pretrain trains and writes the model with it; it sits below lib/zoo, which
// imports it only for Record.
package pretrain
