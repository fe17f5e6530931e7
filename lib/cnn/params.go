package cnn

// NumParameters returns the number of learnt numbers (trainable values) of the
// feature extractor and of the classifier: the lecture's split of a network
// into a part that makes the embedding and a last layer that turns it into class
// scores. Batch normalisation's running averages are statistics, not
// parameters, and are not counted; its scales and offsets are. The classifier
// holds EmbeddingSize × classes weights plus one bias per class.
func (m *Model) NumParameters() (extractor, classifier int) {
	for v := range m.ctx.IterVariables() {
		if !v.Trainable {
			continue
		}
		switch scope := v.Scope(); {
		case InScope(scope, "/"+ExtractorScope):
			extractor += v.Shape().Size()
		case InScope(scope, "/"+ClassifierScope):
			classifier += v.Shape().Size()
		}
	}
	return extractor, classifier
}
