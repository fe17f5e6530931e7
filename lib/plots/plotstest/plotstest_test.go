package plotstest

import "testing"

// A hand-written SVG in vgsvg's form: an upright text, one in a turned group, and shapes.
const sample = `<?xml version="1.0"?>
<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg">
<g transform="scale(1, -1) translate(0, -50)">
<path d="M0,0L1,1" style="fill:#0072b2;stroke:#D55E00" />
<text x="10.5" y="-20.25" transform="scale(1, -1)"
	style="font-family:Liberation Sans;font-size:10px">a &amp; b</text>
<g transform="rotate(90)">
<text x="3" y="-4" transform="scale(1, -1)" style="font-size:12px">turned</text>
</g>
<text textLength="17.5" x="1" y="-2" transform="scale(1, -1)" style="font-size:8px">after</text>
</g>
</svg>`

func TestTexts(t *testing.T) {
	texts, err := Texts([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Text{{Text: "a & b", X: 10.5, Y: 20.25, Size: 10}, {Text: "turned", X: 3, Y: -4, Size: 12, Rotated: true}, {Text: "after", X: 1, Y: 2, Size: 8, Length: 17.5}}
	if len(texts) != len(want) {
		t.Fatalf("%d texts %+v, want %d", len(texts), texts, len(want))
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("text %d = %+v, want %+v", i, texts[i], want[i])
		}
	}
	if w := texts[0].Width(); w < 15 || w > 30 {
		t.Errorf("width of %q in 10 pt: %.1f pt, want about 22", texts[0].Text, w)
	}
	c := Colours([]byte(sample))
	if c["#0072B2"] != 1 || c["#D55E00"] != 1 || len(c) != 2 {
		t.Errorf("colours %v", c)
	}
	if _, err := Texts([]byte("<svg><text>")); err == nil {
		t.Error("a cut SVG: no error")
	}
}
