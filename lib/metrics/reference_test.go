package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The reference values come from scikit-learn 1.2 and numpy, computed on the same inputs by
// testdata/make_reference.py: scikit-learn's functions where it has them, the script's own
// numpy code where it has none (expected calibration error, the largest calibration gap,
// bin counts, the best-F1 search). reference.json's "sources" names where each key's values
// come from, and a failing check quotes it. JSON null stands for NaN (a value sklearn
// leaves undefined).

// refFloat is a float64 that reads JSON null as NaN.
type refFloat float64

func (f *refFloat) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*f = refFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*f = refFloat(v)
	return nil
}

func floats(fs []refFloat) []float64 {
	out := make([]float64, len(fs))
	for i, f := range fs {
		out[i] = float64(f)
	}
	return out
}

type refThreshold struct {
	TP, FP, FN, TN        int
	Precision, Recall, F1 refFloat
	Threshold             refFloat
}

type refReliability struct {
	NumBins          int        `json:"n_bins"`
	FractionPositive []refFloat `json:"fraction_positive"`
	MeanProbability  []refFloat `json:"mean_probability"`
	Counts           []int
	ECE              refFloat
	MaxError         refFloat `json:"max_error"`
}

type refBinary struct {
	Name               string
	Scores             []float64
	Labels             []int
	ROCFPR             []refFloat `json:"roc_fpr"`
	ROCTPR             []refFloat `json:"roc_tpr"`
	ROCThresholdsAfter []refFloat `json:"roc_thresholds_after_first"`
	AUROC              refFloat
	PRPrecision        []refFloat `json:"pr_precision"`
	PRRecall           []refFloat `json:"pr_recall"`
	PRThresholds       []refFloat `json:"pr_thresholds"`
	AveragePrecision   refFloat   `json:"average_precision"`
	Threshold          float64
	AtThreshold        refThreshold `json:"at_threshold"`
	BestF1             refThreshold `json:"best_f1"`
	Reliability        []refReliability
}

type refMultiLabel struct {
	Name              string
	Scores            [][]float64
	Labels            [][]int
	AUROCPerClass     []refFloat `json:"auroc_per_class"`
	AUROCMacroDefined refFloat   `json:"auroc_macro_defined"`
	AUROCMicro        refFloat   `json:"auroc_micro"`
	APPerClass        []refFloat `json:"ap_per_class"`
	APMacro           refFloat   `json:"ap_macro"`
	CMAP              refFloat   `json:"cmap"`
	APMicro           refFloat   `json:"ap_micro"`
	Threshold         float64
	PrecisionPerClass []refFloat `json:"precision_per_class"`
	RecallPerClass    []refFloat `json:"recall_per_class"`
	F1PerClass        []refFloat `json:"f1_per_class"`
	Macro             []refFloat
	Micro             []refFloat
	SubsetAccuracy    refFloat   `json:"subset_accuracy"`
	BestF1Thresholds  []refFloat `json:"best_f1_thresholds"`
	BestF1Macro       []refFloat `json:"best_f1_macro"`
	BestF1Micro       []refFloat `json:"best_f1_micro"`
}

type refSingleLabel struct {
	Name                string
	Scores              [][]float64
	Classes             []int
	Argmax              []int
	Accuracy            refFloat
	TopK                map[string]refFloat `json:"top_k"`
	Confusion           [][]int
	TopLabelReliability []refReliability `json:"top_label_reliability"`
	PrecisionPerClass   []refFloat       `json:"precision_per_class"`
	RecallPerClass      []refFloat       `json:"recall_per_class"`
	F1PerClass          []refFloat       `json:"f1_per_class"`
	Macro               []refFloat
	Micro               []refFloat
	OvRAUROCPerClass    []refFloat `json:"ovr_auroc_per_class"`
	OvRAPPerClass       []refFloat `json:"ovr_ap_per_class"`
	OvRAUROCMacro       *refFloat  `json:"ovr_auroc_macro"`
}

type reference struct {
	SklearnVersion string `json:"sklearn_version"`
	// Sources says, by JSON key, what computed the values: an sklearn function, or
	// make_reference.py's numpy code.
	Sources     map[string]string
	Binary      []refBinary
	MultiLabel  []refMultiLabel  `json:"multilabel"`
	SingleLabel []refSingleLabel `json:"singlelabel"`
	Percentile  struct {
		Values      []float64
		Q           []float64
		Percentiles []float64
	}
}

var loadReference = sync.OnceValues(func() (reference, error) {
	var ref reference
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		return ref, err
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		return ref, fmt.Errorf("testdata/reference.json: %w", err)
	}
	return ref, nil
})

func mustReference(t *testing.T) reference {
	t.Helper()
	ref, err := loadReference()
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Binary) == 0 || len(ref.MultiLabel) == 0 || len(ref.SingleLabel) == 0 {
		t.Fatal("testdata/reference.json has an empty section")
	}
	return ref
}

const tolerance = 1e-12

// same reports whether got equals want within tolerance, NaN equal to NaN.
func same(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= tolerance*max(1, math.Abs(want))
}

// source returns what computed the reference values of key (reference.json's
// "sources"); a key without one fails the test, so no value is passed off as
// scikit-learn's.
func source(t *testing.T, key string) string {
	t.Helper()
	ref, err := loadReference()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := ref.Sources[key]
	if !ok || s == "" {
		t.Fatalf("testdata/reference.json names no source for %q: say in make_reference.py's SOURCES what computes it", key)
	}
	return s
}

func checkValue(t *testing.T, key, what string, got float64, want refFloat) {
	t.Helper()
	from := source(t, key)
	if !same(got, float64(want)) {
		t.Errorf("%s = %v, want %v (%s)", what, got, float64(want), from)
	}
}

func checkValues(t *testing.T, key, what string, got []float64, want []refFloat) {
	t.Helper()
	from := source(t, key)
	if len(got) != len(want) {
		t.Errorf("%s has %d values, want %d (%s):\n got %v\nwant %v", what, len(got), len(want), from, got, floats(want))
		return
	}
	for i := range got {
		if !same(got[i], float64(want[i])) {
			t.Errorf("%s[%d] = %v, want %v (%s)\n got %v\nwant %v", what, i, got[i], float64(want[i]), from, got, floats(want))
			return
		}
	}
}

func checkReliability(t *testing.T, curve ReliabilityCurve, want refReliability) {
	t.Helper()
	var fraction, mean []float64
	var counts []int
	for _, b := range curve.Bins {
		fraction = append(fraction, b.FractionPositive)
		mean = append(mean, b.MeanProbability)
		counts = append(counts, b.Count)
	}
	checkValues(t, "fraction_positive", "fraction positive", fraction, want.FractionPositive)
	checkValues(t, "mean_probability", "mean probability", mean, want.MeanProbability)
	if fmt.Sprint(counts) != fmt.Sprint(want.Counts) {
		t.Errorf("bin counts = %v, want %v (%s)", counts, want.Counts, source(t, "counts"))
	}
	checkValue(t, "ece", "ECE", curve.ECE, want.ECE)
	checkValue(t, "max_error", "max calibration error", curve.MaxError, want.MaxError)
}

func TestBinaryAgainstSklearn(t *testing.T) {
	for _, tc := range mustReference(t).Binary {
		t.Run(tc.Name, func(t *testing.T) {
			roc, err := ROCCurve(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, "roc_fpr", "ROC false-positive rate", roc.FalsePositiveRate, tc.ROCFPR)
			checkValues(t, "roc_tpr", "ROC true-positive rate", roc.TruePositiveRate, tc.ROCTPR)
			if !math.IsInf(roc.Thresholds[0], 1) {
				t.Errorf("first ROC threshold = %v, want +Inf", roc.Thresholds[0])
			}
			checkValues(t, "roc_thresholds_after_first", "ROC thresholds after the first", roc.Thresholds[1:], tc.ROCThresholdsAfter)

			auroc, err := AUROC(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValue(t, "auroc", "AUROC", auroc, tc.AUROC)

			pr, err := PRCurve(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, "pr_precision", "precision", pr.Precision, tc.PRPrecision)
			checkValues(t, "pr_recall", "recall", pr.Recall, tc.PRRecall)
			checkValues(t, "pr_thresholds", "PR thresholds", pr.Thresholds, tc.PRThresholds)

			ap, err := AveragePrecision(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValue(t, "average_precision", "average precision", ap, tc.AveragePrecision)

			at, err := AtThreshold(tc.Scores, tc.Labels, tc.Threshold)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.AtThreshold
			if c := at.Counts; c.TruePositives != want.TP || c.FalsePositives != want.FP ||
				c.FalseNegatives != want.FN || c.TrueNegatives != want.TN {
				t.Errorf("counts at %v = %+v, want TP %d FP %d FN %d TN %d", tc.Threshold, c, want.TP, want.FP, want.FN, want.TN)
			}
			checkValue(t, "at_threshold", "precision at threshold", at.Precision, want.Precision)
			checkValue(t, "at_threshold", "recall at threshold", at.Recall, want.Recall)
			checkValue(t, "at_threshold", "F1 at threshold", at.F1, want.F1)

			best, err := AtBestF1(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValue(t, "best_f1", "best-F1 threshold", best.Threshold, tc.BestF1.Threshold)
			checkValue(t, "best_f1", "best F1", best.F1, tc.BestF1.F1)
			checkValue(t, "best_f1", "precision at best F1", best.Precision, tc.BestF1.Precision)
			checkValue(t, "best_f1", "recall at best F1", best.Recall, tc.BestF1.Recall)

			for _, r := range tc.Reliability {
				curve, err := Reliability(tc.Scores, tc.Labels, r.NumBins)
				if err != nil {
					t.Fatal(err)
				}
				t.Run(fmt.Sprintf("%d bins", r.NumBins), func(t *testing.T) { checkReliability(t, curve, r) })
			}
		})
	}
}

func TestMultiLabelAgainstSklearn(t *testing.T) {
	for _, tc := range mustReference(t).MultiLabel {
		t.Run(tc.Name, func(t *testing.T) {
			aurocs, err := AUROCPerClass(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, "auroc_per_class", "per-class AUROC", aurocs.PerClass, tc.AUROCPerClass)
			checkValue(t, "auroc_macro_defined", "macro AUROC over defined classes", aurocs.Macro, tc.AUROCMacroDefined)
			checkValue(t, "auroc_micro", "micro AUROC", aurocs.Micro, tc.AUROCMicro)

			aps, err := AveragePrecisionPerClass(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, "ap_per_class", "per-class AP", aps.PerClass, tc.APPerClass)
			checkValue(t, "ap_macro", "macro mAP", aps.MacroMAP, tc.APMacro)
			checkValue(t, "cmap", "cmAP", aps.CMAP, tc.CMAP)
			checkValue(t, "ap_micro", "micro AP", aps.Micro, tc.APMicro)

			at, err := AtThresholdPerClass(tc.Scores, tc.Labels, tc.Threshold)
			if err != nil {
				t.Fatal(err)
			}
			var p, r, f []float64
			for _, c := range at.PerClass {
				p, r, f = append(p, c.Precision), append(r, c.Recall), append(f, c.F1)
			}
			checkValues(t, "precision_per_class", "per-class precision", p, tc.PrecisionPerClass)
			checkValues(t, "recall_per_class", "per-class recall", r, tc.RecallPerClass)
			checkValues(t, "f1_per_class", "per-class F1", f, tc.F1PerClass)
			checkValues(t, "macro", "macro precision, recall, F1", []float64{at.MacroPrecision, at.MacroRecall, at.MacroF1}, tc.Macro)
			checkValues(t, "micro", "micro precision, recall, F1", []float64{at.MicroPrecision, at.MicroRecall, at.MicroF1}, tc.Micro)

			subset, err := SubsetAccuracy(tc.Scores, tc.Labels, tc.Threshold)
			if err != nil {
				t.Fatal(err)
			}
			checkValue(t, "subset_accuracy", "subset accuracy", subset, tc.SubsetAccuracy)

			best, err := AtBestF1PerClass(tc.Scores, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			var thresholds []float64
			for _, c := range best.PerClass {
				thresholds = append(thresholds, c.Threshold)
			}
			checkValues(t, "best_f1_thresholds", "best-F1 thresholds", thresholds, tc.BestF1Thresholds)
			checkValues(t, "best_f1_macro", "macro at best F1", []float64{best.MacroPrecision, best.MacroRecall, best.MacroF1}, tc.BestF1Macro)
			checkValues(t, "best_f1_micro", "micro at best F1", []float64{best.MicroPrecision, best.MicroRecall, best.MicroF1}, tc.BestF1Micro)
		})
	}
}

func TestSingleLabelAgainstSklearn(t *testing.T) {
	for _, tc := range mustReference(t).SingleLabel {
		t.Run(tc.Name, func(t *testing.T) {
			predicted, err := Argmax(tc.Scores)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(predicted) != fmt.Sprint(tc.Argmax) {
				t.Errorf("Argmax = %v, want %v (%s)", predicted, tc.Argmax, source(t, "argmax"))
			}
			accuracy, err := Accuracy(tc.Scores, tc.Classes)
			if err != nil {
				t.Fatal(err)
			}
			checkValue(t, "accuracy", "accuracy", accuracy, tc.Accuracy)
			for kText, want := range tc.TopK {
				k, _ := strconv.Atoi(kText)
				got, err := TopKAccuracy(tc.Scores, tc.Classes, k)
				if err != nil {
					t.Fatal(err)
				}
				checkValue(t, "top_k", "top-"+kText+" accuracy", got, want)
			}
			confusion, err := ConfusionMatrix(tc.Classes, predicted, len(tc.Scores[0]))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(confusion) != fmt.Sprint(tc.Confusion) {
				t.Errorf("confusion matrix = %v, want %v (%s)", confusion, tc.Confusion, source(t, "confusion"))
			}
			report, err := SingleLabelReport(tc.Scores, tc.Classes)
			if err != nil {
				t.Fatal(err)
			}
			var p, r, f []float64
			for _, c := range report.PerClass {
				p, r, f = append(p, c.Precision), append(r, c.Recall), append(f, c.F1)
			}
			checkValues(t, "precision_per_class", "per-class precision", p, tc.PrecisionPerClass)
			checkValues(t, "recall_per_class", "per-class recall", r, tc.RecallPerClass)
			checkValues(t, "f1_per_class", "per-class F1", f, tc.F1PerClass)
			checkValues(t, "macro", "macro precision, recall, F1", []float64{report.MacroPrecision, report.MacroRecall, report.MacroF1}, tc.Macro)
			checkValues(t, "micro", "micro precision, recall, F1", []float64{report.MicroPrecision, report.MicroRecall, report.MicroF1}, tc.Micro)

			oneHot, err := OneHot(tc.Classes, len(tc.Scores[0]))
			if err != nil {
				t.Fatal(err)
			}
			aurocs, err := AUROCPerClass(tc.Scores, oneHot)
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, "ovr_auroc_per_class", "one-vs-rest AUROC", aurocs.PerClass, tc.OvRAUROCPerClass)
			if tc.OvRAUROCMacro != nil {
				checkValue(t, "ovr_auroc_macro", "one-vs-rest macro AUROC", aurocs.Macro, *tc.OvRAUROCMacro)
			}
			aps, err := AveragePrecisionPerClass(tc.Scores, oneHot)
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, "ovr_ap_per_class", "one-vs-rest AP", aps.PerClass, tc.OvRAPPerClass)

			for _, r := range tc.TopLabelReliability {
				curve, err := TopLabelReliability(tc.Scores, tc.Classes, r.NumBins)
				if err != nil {
					t.Fatal(err)
				}
				t.Run(fmt.Sprintf("top-label reliability %d bins", r.NumBins), func(t *testing.T) { checkReliability(t, curve, r) })
			}
		})
	}
}

func TestPercentileAgainstNumpy(t *testing.T) {
	ref := mustReference(t).Percentile
	sorted := append([]float64(nil), ref.Values...)
	slices.Sort(sorted)
	for i, q := range ref.Q {
		if got := Percentile(sorted, q); !same(got, ref.Percentiles[i]) {
			t.Errorf("Percentile(q=%v) = %v, want %v (%s)", q, got, ref.Percentiles[i], source(t, "percentiles"))
		}
	}
}

// TestReferenceSources requires reference.json to say, for every output key of every
// case, what computed it — scikit-learn, or make_reference.py's own numpy code — so
// that no value is taken for scikit-learn's that is not.
func TestReferenceSources(t *testing.T) {
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Sources     map[string]string
		Binary      []map[string]json.RawMessage
		MultiLabel  []map[string]json.RawMessage `json:"multilabel"`
		SingleLabel []map[string]json.RawMessage `json:"singlelabel"`
		Percentile  map[string]json.RawMessage
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]bool{"name": true, "scores": true, "labels": true, "classes": true, "threshold": true, "values": true, "q": true}
	nested := map[string]bool{"reliability": true, "top_label_reliability": true} // lists of curves, checked below
	keys := map[string]bool{}
	cases := append(append(append([]map[string]json.RawMessage{}, raw.Binary...), raw.MultiLabel...), raw.SingleLabel...)
	for _, c := range append(cases, raw.Percentile) {
		for key, value := range c {
			switch {
			case inputs[key]:
			case nested[key]:
				var curves []map[string]json.RawMessage
				if err := json.Unmarshal(value, &curves); err != nil {
					t.Fatal(err)
				}
				for _, curve := range curves {
					for k := range curve {
						if k != "n_bins" {
							keys[k] = true
						}
					}
				}
			default:
				keys[key] = true
			}
		}
	}
	for key := range keys {
		if raw.Sources[key] == "" {
			t.Errorf("reference.json: no source for %q", key)
		}
	}
	for _, key := range []string{"ece", "max_error", "counts"} {
		if s := raw.Sources[key]; !strings.Contains(s, "numpy") || strings.HasPrefix(s, "sklearn") {
			t.Errorf("reference.json: %s comes from make_reference.py's numpy code, but its source says %q", key, s)
		}
	}
	if len(keys) < 30 {
		t.Errorf("only %d output keys found: is the search broken?", len(keys))
	}
}
