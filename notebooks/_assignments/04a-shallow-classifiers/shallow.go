// Package shallow is the week's assignment of lesson 04a: turn a labelled set
// of clips into a shallow classifier on frozen embeddings, choosing among a few
// classifier settings honestly — by their accuracy on a validation part of the
// training clips, never on the test clips — and report the chosen one's test
// accuracy.
package shallow

import (
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Candidate is one classifier setting to try: a name for the report and a
// function that makes a fresh, unfitted classifier.
type Candidate struct {
	Name string
	New  func() classify.Classifier
}

// Result is what ChooseAndTest found.
type Result struct {
	// Chosen is the name of the candidate with the best validation accuracy
	// (the first of them on a tie).
	Chosen string
	// ValidationAccuracy holds each candidate's accuracy on the validation
	// rows, fitted on the other training rows, by name.
	ValidationAccuracy map[string]float64
	// TestAccuracy is the chosen candidate's accuracy on the test rows, after it
	// was fitted again on all the training rows.
	TestAccuracy float64
}

// EmbedLabelled returns model's embedding of every row of labels, in row order
// (one vector per row). Each row is a whole recording of the model's clip
// length, in the file dir/row.File. cacheDir, when not "", caches the
// embeddings on disk (embed.Options.CacheDir).
func EmbedLabelled(model zoo.Model, dir string, labels *dataset.LabelTable,
	cacheDir string) ([][]float32, error) {
	// TODO: embed each row's file with lib/embed (EmbedFiles), and return the vectors in row order
	panic("not implemented: embed each row's file with lib/embed (EmbedFiles), and return the vectors in row order")
}

// SplitValidation splits the training rows train of a single-label table into
// rows to fit on and validation rows: validationPerClass rows of each class,
// drawn at random with seed (dataset.SamplePerClass does it), are validation
// rows, the other training rows are fit rows. Both are sorted; together they
// are exactly train.
func SplitValidation(labels *dataset.LabelTable, train []int, validationPerClass int,
	seed uint64) (fit, validation []int, err error) {
	// TODO: draw validationPerClass rows of each class from train; the rest of train are the fit rows
	panic("not implemented: draw validationPerClass rows of each class from train; the rest of train are the fit rows")
}

// ChooseAndTest picks a classifier for the vectors x (one per row of labels):
// it splits the training rows with SplitValidation(labels, train,
// validationPerClass, seed), fits each candidate on the fit rows and measures
// its accuracy on the validation rows, chooses the best one (the first on a
// tie), fits a fresh classifier of that kind on all the training rows, and
// measures its accuracy on the test rows. The test rows are used for that last
// measurement only.
func ChooseAndTest(x [][]float32, labels *dataset.LabelTable, train, test []int,
	candidates []Candidate, validationPerClass int, seed uint64) (Result, error) {
	// TODO: validate every candidate, choose the best, refit it on all training rows, then test it once
	panic("not implemented: validate every candidate, choose the best, refit it on all training rows, then test it once")
}

// fitAndScore fits model on the rows fitRows of x and returns its accuracy on
// the rows scoreRows.
func fitAndScore(model classify.Classifier, x [][]float32, labels *dataset.LabelTable,
	fitRows, scoreRows []int) (float64, error) {
	pick := func(rows []int) [][]float32 {
		out := make([][]float32, len(rows))
		for i, r := range rows {
			out[i] = x[r]
		}
		return out
	}
	yFit, err := dataset.FromTable(labels, fitRows, dataset.ClassIndex)
	if err != nil {
		return 0, err
	}
	yScore, err := dataset.FromTable(labels, scoreRows, dataset.ClassIndex)
	if err != nil {
		return 0, err
	}
	if err := model.Fit(pick(fitRows), yFit); err != nil {
		return 0, err
	}
	predicted, err := model.Predict(pick(scoreRows))
	if err != nil {
		return 0, err
	}
	return classify.Accuracy(yScore, predicted)
}
