// Package active runs active learning on clip embeddings: start from a few labels, train a
// shallow classifier, ask a person (an Oracle) about the clips the classifier is least sure
// of — or, to "find more of species X", the clips it scores highest — add their answers to
// the training set, retrain, and repeat. Each round is recorded (labels spent, accuracy on
// a held-out set, which clips were asked), so a lesson can plot labels spent against
// accuracy and compare a selection strategy with random selection.
//
// # The loop
//
// Run takes a Pool (one embedding per clip, plus optional keys and samples for display),
// an Oracle and Options. Round 0 asks the oracle about the initial clips (Options.Initial,
// or Options.InitialRandom clips drawn at random); every later round refits a fresh
// classifier (Options.NewClassifier, so nothing leaks between rounds) on every answer so
// far, scores the clips not yet asked, and asks about the Options.BatchSize best ones by the
// Strategy:
//
//   - Margin: smallest p₁ − p₂, the gap between the two most probable classes (Scheffer
//     et al., 2001). A clip the classifier splits evenly between two species sits on the
//     boundary, where one label moves the boundary most.
//   - Entropy: largest −Σ pₖ ln pₖ (nats), uncertainty spread over all classes.
//   - TopScore: largest probability of the target class (Options.Target). With
//     Options.YesNo the oracle answers only Yes or No: this is the "find more of species
//     X" mode, measured by the recall of X on the evaluation set and by how many X clips
//     have been found.
//   - Random: clips drawn uniformly at random (seeded), the baseline every curve is
//     compared with.
//
// Ties are broken by the lower pool index, so a run is a function of its inputs and seed.
// While the answers so far hold fewer than two classes no classifier can be trained, and a
// round falls back to random selection (a cold start); its Round says so.
//
// # Labels and answers
//
// An Answer is a class index (0, 1, …) or Unsure. In YesNo mode the classifier is
// binary: No is class 0 and Yes is class 1. Unsure clips are set aside: never asked again
// and never used for training, but they count as labels spent, since the person spent the
// time to listen. LabelsSpent is therefore the number of questions asked.
//
// # Oracles
//
// SimulatedOracle answers from true labels, optionally with a rate of wrong and of unsure
// answers; its mistakes are a function of the seed and the clip (not of the order in
// which clips are asked), so two strategies compared on one pool see the same noisy
// person. The package activeui holds NotebookOracle, which shows each clip's spectrogram
// and an audio player in a GoNB notebook with buttons to answer, and the plots; this
// package holds no notebook or plotting code.
//
// # Classifiers
//
// Any value with Fit and PredictProba serves (the Classifier interface is defined here,
// where it is used, with labels as plain class indices); lib/classify's shallow
// classifiers, whose Fit takes dataset.Labels, serve through FromClassify, which keeps
// classes with no examples yet under their own index. PredictProba must return one row
// per input and one column per class index 0…K−1 with K ≥ max(y)+1; shorter rows are
// padded with zeros up to the number of classes.
package active
