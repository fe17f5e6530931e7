package plots

import "testing"

func TestFixSVGTextLengths(t *testing.T) {
	const two = `<svg><text x="1">ab</text><text x="2"></text></svg>`
	for _, tc := range []struct {
		name   string
		svg    string
		widths []float64
		want   string
	}{
		{"each text its width, none for an empty one", two, []float64{12.345, 0},
			`<svg><text x="1" textLength="12.35" lengthAdjust="spacingAndGlyphs">ab</text><text x="2"></text></svg>`},
		{"a cut start tag: unchanged", `<svg><text x="1"`, []float64{3}, `<svg><text x="1"`},
		{"fewer widths than texts: unchanged", two, []float64{3}, two},
		{"more widths than texts: unchanged", two, []float64{3, 4, 5}, two},
		{"no texts", `<svg></svg>`, nil, `<svg></svg>`},
	} {
		if got := string(fixSVGTextLengths([]byte(tc.svg), tc.widths)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
