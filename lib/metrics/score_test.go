package metrics

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestFloat32ScoresAsFloat64: every function that takes scores gives the same
// result for float32 scores as for the same scores converted to float64, the
// form they took before (seeded random scores, every class present).
func TestFloat32ScoresAsFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	const clips, classes = 40, 3
	scores32 := make([][]float32, clips)
	classOf := make([]int, clips)
	for i := range scores32 {
		scores32[i] = make([]float32, classes)
		for c := range scores32[i] {
			scores32[i][c] = rng.Float32()
		}
		classOf[i] = i % classes
	}
	hot, err := OneHot(classOf, classes)
	if err != nil {
		t.Fatal(err)
	}
	scores64 := Float64Rows(scores32)
	column32 := make([]float32, clips)
	for i := range column32 {
		column32[i] = scores32[i][1]
	}
	column64, labels := Column(scores64, 1), LabelColumn(hot, 1)
	both := func(f func(rows32 [][]float32, rows64 [][]float64, col32 []float32, col64 []float64) (any, any)) (string, string) {
		a, b := f(scores32, scores64, column32, column64)
		return fmt.Sprintf("%+v", a), fmt.Sprintf("%+v", b)
	}
	pair := func(a any, errA error, b any, errB error) (any, any) {
		return fmt.Sprint(a, errA), fmt.Sprint(b, errB)
	}
	for _, c := range []struct {
		name string
		run  func(r32 [][]float32, r64 [][]float64, c32 []float32, c64 []float64) (any, any)
	}{
		{"ROCCurve", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := ROCCurve(c32, labels)
			b, eb := ROCCurve(c64, labels)
			return pair(a, ea, b, eb)
		}},
		{"AUROC", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := AUROC(c32, labels)
			b, eb := AUROC(c64, labels)
			return pair(a, ea, b, eb)
		}},
		{"PRCurve", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := PRCurve(c32, labels)
			b, eb := PRCurve(c64, labels)
			return pair(a, ea, b, eb)
		}},
		{"AveragePrecision", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := AveragePrecision(c32, labels)
			b, eb := AveragePrecision(c64, labels)
			return pair(a, ea, b, eb)
		}},
		{"AtThreshold", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := AtThreshold(c32, labels, 0.5)
			b, eb := AtThreshold(c64, labels, 0.5)
			return pair(a, ea, b, eb)
		}},
		{"AtBestF1", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := AtBestF1(c32, labels)
			b, eb := AtBestF1(c64, labels)
			return pair(a, ea, b, eb)
		}},
		{"Reliability", func(_ [][]float32, _ [][]float64, c32 []float32, c64 []float64) (any, any) {
			a, ea := Reliability(c32, labels, 5)
			b, eb := Reliability(c64, labels, 5)
			return pair(a, ea, b, eb)
		}},
		{"Argmax", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := Argmax(r32)
			b, eb := Argmax(r64)
			return pair(a, ea, b, eb)
		}},
		{"Accuracy", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := Accuracy(r32, classOf)
			b, eb := Accuracy(r64, classOf)
			return pair(a, ea, b, eb)
		}},
		{"TopKAccuracy", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := TopKAccuracy(r32, classOf, 2)
			b, eb := TopKAccuracy(r64, classOf, 2)
			return pair(a, ea, b, eb)
		}},
		{"SubsetAccuracy", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := SubsetAccuracy(r32, hot, 0.5)
			b, eb := SubsetAccuracy(r64, hot, 0.5)
			return pair(a, ea, b, eb)
		}},
		{"SingleLabelReport", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := SingleLabelReport(r32, classOf)
			b, eb := SingleLabelReport(r64, classOf)
			return pair(a, ea, b, eb)
		}},
		{"TopLabelReliability", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := TopLabelReliability(r32, classOf, 5)
			b, eb := TopLabelReliability(r64, classOf, 5)
			return pair(a, ea, b, eb)
		}},
		{"Flatten", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, la := Flatten(r32, hot)
			b, lb := Flatten(r64, hot)
			return fmt.Sprint(a, la), fmt.Sprint(b, lb)
		}},
		{"ROCCurves", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := ROCCurves(r32, hot)
			b, eb := ROCCurves(r64, hot)
			return pair(a, ea, b, eb)
		}},
		{"PRCurves", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := PRCurves(r32, hot)
			b, eb := PRCurves(r64, hot)
			return pair(a, ea, b, eb)
		}},
		{"AUROCPerClass", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := AUROCPerClass(r32, hot)
			b, eb := AUROCPerClass(r64, hot)
			return pair(a, ea, b, eb)
		}},
		{"AveragePrecisionPerClass", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := AveragePrecisionPerClass(r32, hot)
			b, eb := AveragePrecisionPerClass(r64, hot)
			return pair(a, ea, b, eb)
		}},
		{"AtThresholdPerClass", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := AtThresholdPerClass(r32, hot, 0.5)
			b, eb := AtThresholdPerClass(r64, hot, 0.5)
			return pair(a, ea, b, eb)
		}},
		{"AtBestF1PerClass", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := AtBestF1PerClass(r32, hot)
			b, eb := AtBestF1PerClass(r64, hot)
			return pair(a, ea, b, eb)
		}},
		{"Column", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			return Column(r32, 2), Column(r64, 2)
		}},
		{"CheckMultiLabel", func(r32 [][]float32, r64 [][]float64, _ []float32, _ []float64) (any, any) {
			a, ea := CheckMultiLabel(r32, hot)
			b, eb := CheckMultiLabel(r64, hot)
			return pair(a, ea, b, eb)
		}},
	} {
		got, want := both(c.run)
		if got != want {
			t.Errorf("%s: float32 scores give\n%s\nfloat64 scores give\n%s", c.name, got, want)
		}
	}
	// The float64 form is passed as it is, not copied.
	if f := float64s(column64); &f[0] != &column64[0] {
		t.Error("float64s copied a []float64")
	}
}
