package site

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

// wav is a valid 16-bit mono WAV file of 4 samples at 8 kHz.
func wav() []byte {
	var b bytes.Buffer
	le := func(v uint32, n int) {
		for i := range n {
			b.WriteByte(byte(v >> (8 * i)))
		}
	}
	b.WriteString("RIFF")
	le(36+8, 4)
	b.WriteString("WAVEfmt ")
	le(16, 4)
	le(1, 2)
	le(1, 2)
	le(8000, 4)
	le(16000, 4)
	le(2, 2)
	le(16, 2)
	b.WriteString("data")
	le(8, 4)
	b.Write(make([]byte, 8))
	return b.Bytes()
}

// pngImage is a 3×2 PNG.
func pngImage(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fixtures returns two lessons: lesson 00 as the real GoNB kernel executed it under
// nbconvert (testdata/00-welcome-executed.ipynb, from `make nbrun`: stdout, stderr and a
// gonum/plot figure displayed as SVG inside HTML), and a made-up lesson 03 with the other
// outputs a lesson can hold — a PNG, an audio player with a WAV data URI, an error — and
// an assignment section; plus lesson 03's assignment.
func fixtures(t *testing.T) ([]Lesson, []Assignment) {
	welcome, err := notebook.Read("testdata/00-welcome-executed.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	md := func(text string) notebook.Cell {
		return notebook.Cell{CellType: "markdown", Source: notebook.Lines{text}}
	}
	one := 1
	audioHTML := `<p>a song<br><audio controls src="data:audio/wav;base64,` + base64.StdEncoding.EncodeToString(wav()) + `"></audio></p>`
	code := notebook.Cell{CellType: "code", ExecutionCount: &one, Source: notebook.Lines{"%%\n", "fmt.Println(1)"},
		Outputs: &[]notebook.Output{
			{OutputType: "stream", Name: "stdout", Text: notebook.Lines{"accuracy 0.93 <b>not bold</b>\n"}},
			{OutputType: "display_data", Data: map[string]any{"image/png": base64.StdEncoding.EncodeToString(pngImage(t))}},
			{OutputType: "display_data", Data: map[string]any{"text/html": []any{audioHTML}}},
			{OutputType: "error", EName: "ERROR", EValue: "boom", Traceback: []string{"\x1b[31mred\x1b[0m trace"}},
		}}
	training := &notebook.Notebook{Cells: []notebook.Cell{
		md("# 03 — Training a CNN\n\nSee [lesson 00](00-welcome.md#a-figure)."),
		code,
		md("## Assignment: your own training script\n\nWrite `Train`.\n\n```\nmake grade A=03-training-script\n```"),
		md("Push it to GitHub."),
		md("## Summary\n\nDone."),
	}}
	lessons := []Lesson{{Name: "00-welcome", Notebook: welcome}, {Name: "03-training-a-cnn", Notebook: training}}
	assignments := []Assignment{{
		Name:   "03-training-script",
		Doc:    "Package trainingscript is the assignment of lesson 03.\n\n\tsplit, _ := Split(labels)\n\nWrite the parts marked TODO.\n",
		Files:  map[string]string{"trainingscript.go": "package trainingscript\n\nfunc Train() { panic(\"not implemented\") }\n"},
		Checks: []GradedCheck{{Test: "TestTrain", Points: 2, Doc: "TestTrain checks that training lowers the loss."}},
		Grade:  "make grade A=03-training-script",
	}}
	return lessons, assignments
}

func TestBuildWritesABookWhoseReferencesResolve(t *testing.T) {
	lessons, assignments := fixtures(t)
	dir := filepath.Join(t.TempDir(), "site")
	if err := Build(dir, lessons, assignments, Options{Title: "Course", Intro: "An intro with [a link](https://example.org).", Footer: "built"}); err != nil {
		t.Fatal(err)
	}
	broken, pages, files, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) > 0 {
		t.Fatalf("broken references:\n%s", strings.Join(broken, "\n"))
	}
	if pages != 4 {
		t.Errorf("%d pages, want 4 (index, 2 lessons, 1 assignment)", pages)
	}
	// style.css, lesson 00's figure, lesson 03's PNG and WAV.
	if files < 4 {
		t.Errorf("%d referenced files checked, want at least 4", files)
	}
	for _, path := range []string{"00-welcome/figure-01.svg", "03-training-a-cnn/figure-01.png", "03-training-a-cnn/audio-01.wav"} {
		if _, err := os.Stat(filepath.Join(dir, path)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	index := read("index.html")
	for _, want := range []string{
		`<a href="00-welcome.html">00 — Welcome to dawnchorus</a> <span class="ran">(ran in 87 s)</span>`,
		`<a href="00-welcome.html#a-figure">A figure</a>`,
		`<a href="03-training-a-cnn.html#assignment-your-own-training-script">Assignment: your own training script</a>`,
		`<a href="assignments/03-training-script.html">03-training-script</a> (1 checks, 2 points)`,
		`<a href="https://example.org">a link</a>`,
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	lesson := read("03-training-a-cnn.html")
	for _, want := range []string{
		`<a href="00-welcome.html#a-figure">lesson 00</a>`, // a lesson's link to another lesson's source
		`accuracy 0.93 &lt;b&gt;not bold&lt;/b&gt;`,        // printed text is text
		`<img src="03-training-a-cnn/figure-01.png"`,
		`<audio controls src="03-training-a-cnn/audio-01.wav">`,
		"ERROR: boom\nred trace", // ANSI colours stripped
		`<a href="00-welcome.html">← 00 — Welcome to dawnchorus</a>`,
	} {
		if !strings.Contains(lesson, want) {
			t.Errorf("03-training-a-cnn.html lacks %q", want)
		}
	}
	if strings.Contains(lesson, "base64") || strings.Contains(read("00-welcome.html"), "<svg") {
		t.Error("a lesson page still holds an inline picture or sound")
	}
	work := read("assignments/03-training-script.html")
	for _, want := range []string{
		`<a href="../03-training-a-cnn.html#assignment-your-own-training-script">03 — Training a CNN</a>`,
		"Write <code>Train</code>.",            // the lesson's assignment section
		"Push it to GitHub.",                   // which goes on into the next cell
		"<pre><code>split, _ := Split(labels)", // the package doc's code
		"<td><code>TestTrain</code></td><td>2</td><td>TestTrain checks that training lowers the loss.</td>",
		`<link rel="stylesheet" href="../style.css">`,
	} {
		if !strings.Contains(work, want) {
			t.Errorf("the assignment's page lacks %q", want)
		}
	}
	if strings.Contains(work, "Done.") {
		t.Error("the assignment's page goes on past the assignment's section")
	}
}

func TestCheckFindsWhatIsBroken(t *testing.T) {
	lessons, assignments := fixtures(t)
	dir := filepath.Join(t.TempDir(), "site")
	if err := Build(dir, lessons, assignments, Options{Title: "Course"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "03-training-a-cnn", "figure-01.png")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "00-welcome", "figure-01.svg"), []byte("<svg><g></svg>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "03-training-a-cnn", "audio-01.wav"), []byte("not a wav"), 0o644); err != nil {
		t.Fatal(err)
	}
	extra := `<a href="00-welcome.html#no-such-section">x</a><a href="missing.html">y</a><a href="../outside.html">z</a><img src="/abs.png"><a href="#contents">ok</a>`
	index, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if err := os.WriteFile(filepath.Join(dir, "index.html"), bytes.Replace(index, []byte("</main>"), []byte(extra+"</main>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	broken, _, _, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`00-welcome/figure-01.svg: not well-formed SVG: XML syntax error on line 1: element <g> closed by </svg>`,
		`03-training-a-cnn.html: "03-training-a-cnn/figure-01.png" names no file of the site`,
		`03-training-a-cnn/audio-01.wav: not a WAV file (no RIFF/WAVE header)`,
		`index.html: "../outside.html" leaves the site`,
		`index.html: "/abs.png" points outside the site`,
		`index.html: "00-welcome.html#no-such-section": the page has no element with id "no-such-section"`,
		`index.html: "missing.html" names no file of the site`,
	}
	if !reflect.DeepEqual(broken, want) {
		t.Errorf("Check =\n%s\nwant\n%s", strings.Join(broken, "\n"), strings.Join(want, "\n"))
	}
}

func TestBuildKeepsTheOldSiteWhenItFails(t *testing.T) {
	lessons, assignments := fixtures(t)
	dir := filepath.Join(t.TempDir(), "site")
	if err := Build(dir, lessons, assignments, Options{Title: "Course"}); err != nil {
		t.Fatal(err)
	}
	bad := &notebook.Notebook{Cells: []notebook.Cell{{CellType: "code", Source: notebook.Lines{"x"}, Outputs: &[]notebook.Output{
		{OutputType: "display_data", Data: map[string]any{"image/png": "not base64!"}}}}}}
	err := Build(dir, []Lesson{{Name: "09-bad", Notebook: bad}}, nil, Options{Title: "Course"})
	if err == nil || !strings.Contains(err.Error(), "lesson 09-bad: cell 1: an image/png output is not base64") {
		t.Fatalf("Build with a broken output: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "00-welcome.html")); err != nil {
		t.Errorf("the previous site is gone: %v", err)
	}
}
