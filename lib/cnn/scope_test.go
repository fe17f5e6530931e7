package cnn

import "testing"

// TestScopes: InScope holds a scope and what lies under it, not a scope that
// merely starts with the same letters; IsNetworkScope holds the extractor's and
// the classifier's variables, not the optimizer's or the random state.
func TestScopes(t *testing.T) {
	for _, tc := range []struct {
		scope, root string
		want        bool
	}{
		{"/extractor", "/extractor", true},
		{"/extractor/stem_conv", "/extractor", true},
		{"/extractor/stage1/block0/conv1", "/extractor", true},
		{"/extractor2", "/extractor", false},
		{"/extractor2/x", "/extractor", false},
		{"/", "/extractor", false},
		{"/adamw/|extractor|stem_conv", "/adamw", true},
		{"/classifier", "/extractor", false},
	} {
		if got := InScope(tc.scope, tc.root); got != tc.want {
			t.Errorf("InScope(%q, %q) = %v, want %v", tc.scope, tc.root, got, tc.want)
		}
	}
	for _, tc := range []struct {
		scope string
		want  bool
	}{
		{"/extractor/stem_bn", true},
		{"/classifier", true},
		{"/classifier/dense", true},
		{"/adamw/|classifier|dense", false},
		{"/", false},
		{"/classifiers", false},
	} {
		if got := IsNetworkScope(tc.scope); got != tc.want {
			t.Errorf("IsNetworkScope(%q) = %v, want %v", tc.scope, got, tc.want)
		}
	}
	// Every variable of a trained model is in exactly one of the three scopes,
	// or is the random state at the root.
	m := MustNew(tinyConfig(SingleLabel), 1)
	if _, err := Train(m, bandsData(m, 8, 1), Dataset{}, TrainOptions{Steps: 1, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	for v := range m.Context().IterVariables() {
		n := 0
		for _, root := range []string{ExtractorScope, ClassifierScope, OptimizerScope} {
			if InScope(v.Scope(), "/"+root) {
				n++
			}
		}
		if n != 1 && !(v.Scope() == "/" && v.Name() == rngStateName) {
			t.Errorf("variable %s/%s is in %d of the model's scopes", v.Scope(), v.Name(), n)
		}
		// None lies at the extractor's root: WithClassifier copies the same
		// variables as when it asked for "/extractor/" and more.
		if v.Scope() == "/"+ExtractorScope {
			t.Errorf("variable %s/%s lies at the extractor's root", v.Scope(), v.Name())
		}
	}
}
