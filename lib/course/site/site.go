// Package site renders the course's executed notebooks as a static web site, a book to
// read without Jupyter: index.html with the contents (each lesson, its sections, the
// weekly assignments), one page per lesson with its text, code, printed output, figures
// and audio players as they came out of the run, and one page per assignment with its
// instructions (what to write, and the graded checks with their points).
//
// Figures and sounds that the notebooks hold inline (SVG drawn into HTML, base64 data
// URIs) become files next to their page — NN-slug/figure-01.svg, NN-slug/audio-01.wav
// — so pages stay small and every picture is a file a reader can open or save. The
// site needs nothing but a browser: no script, no font or style from the network.
//
// [Check] reads a built site and reports every link, image or audio source that does not
// resolve to a file (or an anchor) of the site, and every picture or sound file that is
// empty or does not decode.
package site

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"

	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

// Lesson is an executed lesson notebook and its name (its file name without .ipynb,
// "01-sound-and-spectrograms"), which names its page.
type Lesson struct {
	Name     string
	Notebook *notebook.Notebook
}

// Assignment is a weekly assignment as students get it: its name ("03-training-script")
// and what its page shows.
type Assignment struct {
	Name string
	// Doc is the package's doc comment (Markdown-ish Go doc text); Files its Go files
	// without the tests, by name, as students get them (stubs where they write).
	Doc   string
	Files map[string]string
	// Checks are the graded checks: test name, points and what each checks.
	Checks []GradedCheck
	// Grade is the command that grades a student's version.
	Grade string
}

// GradedCheck is one graded check of an assignment.
type GradedCheck struct {
	Test   string
	Points int
	Doc    string
}

// Options are the site's words.
type Options struct {
	// Title names the book (the index's heading and every page's title suffix).
	Title string
	// Intro is Markdown shown on the index above the contents.
	Intro string
	// Footer is a line of Markdown at the bottom of every page (e.g. how it was built).
	Footer string
}

// page is what Build knows about a lesson page once rendered.
type page struct {
	name, title  string
	sections     []heading // the lesson's ## headings
	assignment   string    // id of its "Assignment…" heading, "" when none
	assignmentMD string    // the Markdown of that section, to the next ## heading
	seconds      float64   // the run's wall time from the cells' timing metadata, 0 when unknown
	body         string
}

type heading struct{ id, text string }

// Build writes the site into dir (replacing what was there): index.html, style.css, a
// page per lesson (NAME.html, its files in NAME/) and a page per assignment
// (assignments/NAME.html). It writes into a sibling folder first and swaps it in at the
// end, so a failed build leaves the previous site whole.
func Build(dir string, lessons []Lesson, assignments []Assignment, o Options) error {
	if len(lessons) == 0 {
		return fmt.Errorf("site: no lessons to render")
	}
	tmp := dir + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone by the rename when the build succeeds
	if err := os.MkdirAll(filepath.Join(tmp, "assignments"), 0o755); err != nil {
		return err
	}
	pages := make([]*page, len(lessons))
	for i, l := range lessons {
		p, err := renderLesson(tmp, l)
		if err != nil {
			return fmt.Errorf("site: lesson %s: %w", l.Name, err)
		}
		pages[i] = p
	}
	forLesson := map[string]*page{} // by lesson number ("04a")
	for _, p := range pages {
		forLesson[number(p.name)] = p
	}
	for i, p := range pages {
		nav := navigation(pages, i, "")
		if err := writePage(tmp, p.name+".html", p.title, o, nav+p.body+nav, ""); err != nil {
			return err
		}
	}
	for _, a := range assignments {
		lesson := forLesson[number(a.Name)]
		body, err := renderAssignment(a, lesson)
		if err != nil {
			return fmt.Errorf("site: assignment %s: %w", a.Name, err)
		}
		if err := writePage(tmp, filepath.Join("assignments", a.Name+".html"), "Assignment "+a.Name, o, body, "../"); err != nil {
			return err
		}
	}
	if err := writePage(tmp, "index.html", "", o, renderIndex(pages, assignments, o), ""); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "style.css"), []byte(styleCSS), 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// number is a lesson's or assignment's number, the part of its name before the first
// dash ("04a").
func number(name string) string {
	n, _, _ := strings.Cut(name, "-")
	return n
}

// markdown renders the course's Markdown: GitHub's flavour, headings with ids, raw HTML
// kept (lessons are the course's own text).
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// renderMarkdown renders src with heading ids from ids, and returns the HTML and the
// document's headings (level, id, text).
func renderMarkdown(src string, ids *pageIDs) (string, []struct {
	level int
	heading
}, error) {
	source := []byte(rewriteLessonLinks(src))
	doc := markdown.Parser().Parse(text.NewReader(source), parser.WithContext(parser.NewContext(parser.WithIDs(ids))))
	var headings []struct {
		level int
		heading
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			id, _ := h.AttributeString("id")
			idBytes, _ := id.([]byte)
			headings = append(headings, struct {
				level int
				heading
			}{h.Level, heading{string(idBytes), plainText(h, source)}})
		}
		return ast.WalkContinue, nil
	})
	var out bytes.Buffer
	if err := markdown.Renderer().Render(&out, source, doc); err != nil {
		return "", nil, err
	}
	return out.String(), headings, nil
}

// plainText is the text of a node's inline children, without markup.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for k := t.FirstChild(); k != nil; k = k.NextSibling() {
				if s, ok := k.(*ast.Text); ok {
					b.Write(s.Segment.Value(source))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// lessonLink matches a Markdown link target naming another lesson's source, which on the
// site is that lesson's page.
var lessonLink = regexp.MustCompile(`\]\((?:\.\./lessons/|lessons/|\./)?([0-9]{2}[a-z]?-[a-z0-9-]+)\.(?:md|ipynb)(#[^)]*)?\)`)

func rewriteLessonLinks(src string) string {
	return lessonLink.ReplaceAllString(src, "]($1.html$2)")
}

// pageIDs gives the headings of one page unique ids across its cells, as GitHub does:
// lower case, spaces to dashes, other punctuation dropped, "-1", "-2" on repeats.
type pageIDs struct{ used map[string]bool }

func newPageIDs() *pageIDs { return &pageIDs{used: map[string]bool{}} }

func (p *pageIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(string(value))) {
		switch {
		case r == ' ' || r == '-' || r == '_':
			b.WriteByte('-')
		case unicode.IsLetter(r), unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = "section"
	}
	unique := id
	for n := 1; p.used[unique]; n++ {
		unique = fmt.Sprintf("%s-%d", id, n)
	}
	p.used[unique] = true
	return []byte(unique)
}

func (p *pageIDs) Put(value []byte) { p.used[string(value)] = true }

// renderLesson renders a lesson's cells and writes its figures and sounds into
// dir/NAME/.
func renderLesson(dir string, l Lesson) (*page, error) {
	p := &page{name: l.Name}
	ids := newPageIDs()
	files := &fileWriter{dir: dir, sub: l.Name}
	var body strings.Builder
	body.WriteString(`<article class="lesson">` + "\n")
	var first, last time.Time
	inAssignment := false
	for i, c := range l.Notebook.Cells {
		switch c.CellType {
		case "markdown":
			p.assignmentMD += assignmentSection(c.Text(), &inAssignment)
			rendered, headings, err := renderMarkdown(c.Text(), ids)
			if err != nil {
				return nil, fmt.Errorf("cell %d: %w", i+1, err)
			}
			for _, h := range headings {
				switch {
				case h.level == 1 && p.title == "":
					p.title = h.text
				case h.level == 2:
					p.sections = append(p.sections, h.heading)
					if strings.HasPrefix(h.text, "Assignment") && p.assignment == "" {
						p.assignment = h.id
					}
				}
			}
			fmt.Fprintf(&body, "<section class=\"text\">\n%s</section>\n", rendered)
		case "code":
			prompt := " "
			if c.ExecutionCount != nil {
				prompt = fmt.Sprint(*c.ExecutionCount)
			}
			fmt.Fprintf(&body, "<div class=\"cell\">\n<div class=\"prompt\">[%s]</div>\n<pre class=\"code\"><code>%s</code></pre>\n",
				prompt, html.EscapeString(c.Text()))
			if c.Outputs != nil && len(*c.Outputs) > 0 {
				body.WriteString("<div class=\"outputs\">\n")
				for _, o := range *c.Outputs {
					out, err := renderOutput(o, files)
					if err != nil {
						return nil, fmt.Errorf("cell %d: %w", i+1, err)
					}
					body.WriteString(out)
				}
				body.WriteString("</div>\n")
			}
			body.WriteString("</div>\n")
			if start, end, ok := cellTimes(c); ok {
				if first.IsZero() || start.Before(first) {
					first = start
				}
				if end.After(last) {
					last = end
				}
			}
		}
	}
	body.WriteString("</article>\n")
	if p.title == "" {
		p.title = l.Name
	}
	if !first.IsZero() && last.After(first) {
		p.seconds = last.Sub(first).Seconds()
		fmt.Fprintf(&body, "<p class=\"ran\">Executed on %s; the cells ran for %.0f s.</p>\n", first.UTC().Format("2006-01-02"), p.seconds)
	}
	p.body = body.String()
	return p, nil
}

// assignmentSection returns the lines of a markdown cell that belong to the lesson's
// "## Assignment…" section; *in says whether the section is open (it continues into the
// next cells until a ## heading).
func assignmentSection(markdown string, in *bool) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(markdown, "\n") {
		if strings.HasPrefix(line, "## ") {
			*in = strings.HasPrefix(line, "## Assignment")
		}
		if *in {
			b.WriteString(line)
		}
	}
	if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// cellTimes reads when a cell began and finished running from the timing metadata
// nbconvert records ("execution": {"iopub.execute_input", "shell.execute_reply"}).
func cellTimes(c notebook.Cell) (start, end time.Time, ok bool) {
	exec, _ := c.Metadata["execution"].(map[string]any)
	s, _ := exec["iopub.execute_input"].(string)
	e, _ := exec["shell.execute_reply"].(string)
	start, err1 := time.Parse(time.RFC3339Nano, s)
	end, err2 := time.Parse(time.RFC3339Nano, e)
	return start, end, err1 == nil && err2 == nil
}

// renderOutput renders one output of a code cell.
func renderOutput(o notebook.Output, files *fileWriter) (string, error) {
	switch o.OutputType {
	case "stream":
		return fmt.Sprintf("<pre class=\"%s\">%s</pre>\n", o.Name, html.EscapeString(strings.Join(o.Text, ""))), nil
	case "error":
		text := o.EName + ": " + o.EValue
		if len(o.Traceback) > 0 {
			text += "\n" + stripANSI(strings.Join(o.Traceback, "\n"))
		}
		return fmt.Sprintf("<pre class=\"error\">%s</pre>\n", html.EscapeString(text)), nil
	case "display_data", "execute_result":
		if svg := notebook.DisplayText(o.Data, "image/svg+xml"); svg != "" {
			path, err := files.write("figure", ".svg", []byte(svg))
			if err != nil {
				return "", err
			}
			return figure(path), nil
		}
		if png := notebook.DisplayText(o.Data, "image/png"); png != "" {
			data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(png))
			if err != nil {
				return "", fmt.Errorf("an image/png output is not base64: %w", err)
			}
			path, err := files.write("figure", ".png", data)
			if err != nil {
				return "", err
			}
			return figure(path), nil
		}
		if h := notebook.DisplayText(o.Data, "text/html"); h != "" {
			h, err := externalize(h, files)
			if err != nil {
				return "", err
			}
			return "<div class=\"html\">\n" + h + "\n</div>\n", nil
		}
		if t := notebook.DisplayText(o.Data, "text/plain"); t != "" {
			return fmt.Sprintf("<pre class=\"stdout\">%s</pre>\n", html.EscapeString(t)), nil
		}
	}
	return "", nil
}

func figure(path string) string {
	return fmt.Sprintf("<figure><img src=\"%s\" alt=\"figure %s\"></figure>\n", path, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

// inlineSVG matches an SVG drawing written into HTML, with the XML declaration and
// comments that may precede it (gonum/plot's SVG, as lib/plots displays it).
var inlineSVG = regexp.MustCompile(`(?s)(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<svg\b.*?</svg>`)

// dataURI matches a base64 data URI in a src or href attribute.
var dataURI = regexp.MustCompile(`(src|href)="data:([a-z]+/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)"`)

// extensions are the file extensions of the media types the site writes to files.
var extensions = map[string]string{
	"image/svg+xml": ".svg", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
	"audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/mpeg": ".mp3", "audio/ogg": ".ogg",
}

// externalize writes the inline SVG drawings and the data URIs of an HTML output to files
// and points the HTML at them.
func externalize(h string, files *fileWriter) (string, error) {
	var err error
	h = inlineSVG.ReplaceAllStringFunc(h, func(m string) string {
		if err != nil {
			return m
		}
		svg := m[strings.Index(m, "<svg"):]
		var path string
		path, err = files.write("figure", ".svg", []byte("<?xml version=\"1.0\"?>\n"+svg))
		return fmt.Sprintf("<img class=\"figure\" src=\"%s\" alt=\"figure %s\">", path, strings.TrimSuffix(filepath.Base(path), ".svg"))
	})
	if err != nil {
		return "", err
	}
	h = dataURI.ReplaceAllStringFunc(h, func(m string) string {
		if err != nil {
			return m
		}
		parts := dataURI.FindStringSubmatch(m)
		ext, ok := extensions[parts[2]]
		if !ok {
			return m // left inline: a type the site does not know
		}
		var data []byte
		data, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(parts[3]), ""))
		if err != nil {
			err = fmt.Errorf("a %s data URI is not base64: %w", parts[2], err)
			return m
		}
		kind := "figure"
		if strings.HasPrefix(parts[2], "audio/") {
			kind = "audio"
		}
		var path string
		path, err = files.write(kind, ext, data)
		return fmt.Sprintf("%s=\"%s\"", parts[1], path)
	})
	return h, err
}

// fileWriter writes a page's figures and sounds, numbered by kind, into dir/sub/ and
// returns their paths relative to the page (sub/kind-NN.ext).
type fileWriter struct {
	dir, sub string
	counts   map[string]int
}

func (f *fileWriter) write(kind, ext string, data []byte) (string, error) {
	if f.counts == nil {
		f.counts = map[string]int{}
		if err := os.MkdirAll(filepath.Join(f.dir, f.sub), 0o755); err != nil {
			return "", err
		}
	}
	f.counts[kind]++
	name := fmt.Sprintf("%s-%02d%s", kind, f.counts[kind], ext)
	if err := os.WriteFile(filepath.Join(f.dir, f.sub, name), data, 0o644); err != nil {
		return "", err
	}
	return f.sub + "/" + name, nil
}

// navigation links a lesson page to the contents and to its neighbours.
func navigation(pages []*page, i int, prefix string) string {
	var b strings.Builder
	b.WriteString(`<nav class="pager">`)
	if i > 0 {
		fmt.Fprintf(&b, `<a href="%s%s.html">← %s</a>`, prefix, pages[i-1].name, html.EscapeString(pages[i-1].title))
	} else {
		b.WriteString("<span></span>")
	}
	fmt.Fprintf(&b, `<a href="%sindex.html">Contents</a>`, prefix)
	if i+1 < len(pages) {
		fmt.Fprintf(&b, `<a href="%s%s.html">%s →</a>`, prefix, pages[i+1].name, html.EscapeString(pages[i+1].title))
	} else {
		b.WriteString("<span></span>")
	}
	b.WriteString("</nav>\n")
	return b.String()
}

// renderIndex is the index page: the intro and the contents.
func renderIndex(pages []*page, assignments []Assignment, o Options) string {
	var b strings.Builder
	if o.Intro != "" {
		intro, _, _ := renderMarkdown(o.Intro, newPageIDs())
		b.WriteString("<section class=\"text\">\n" + intro + "</section>\n")
	}
	b.WriteString("<h2 id=\"contents\">Contents</h2>\n<ol class=\"contents\">\n")
	for _, p := range pages {
		fmt.Fprintf(&b, "<li><a href=\"%s.html\">%s</a>", p.name, html.EscapeString(p.title))
		if p.seconds > 0 {
			fmt.Fprintf(&b, " <span class=\"ran\">(ran in %.0f s)</span>", p.seconds)
		}
		if len(p.sections) > 0 {
			b.WriteString("\n<ul>\n")
			for _, s := range p.sections {
				fmt.Fprintf(&b, "<li><a href=\"%s.html#%s\">%s</a></li>\n", p.name, s.id, html.EscapeString(s.text))
			}
			b.WriteString("</ul>\n")
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</ol>\n")
	if len(assignments) > 0 {
		b.WriteString("<h2 id=\"assignments\">Weekly assignments</h2>\n<ul class=\"contents\">\n")
		for _, a := range assignments {
			total := 0
			for _, c := range a.Checks {
				total += c.Points
			}
			fmt.Fprintf(&b, "<li><a href=\"assignments/%s.html\">%s</a> (%d checks, %d points)</li>\n",
				a.Name, html.EscapeString(a.Name), len(a.Checks), total)
		}
		b.WriteString("</ul>\n")
	}
	return b.String()
}

// renderAssignment is an assignment's page: what students get, what they write, how it
// is graded.
func renderAssignment(a Assignment, lesson *page) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "<nav class=\"pager\"><span></span><a href=\"../index.html\">Contents</a><span></span></nav>\n")
	fmt.Fprintf(&b, "<article class=\"assignment\">\n<h1>Assignment %s</h1>\n", html.EscapeString(a.Name))
	if lesson != nil {
		target := lesson.name + ".html"
		if lesson.assignment != "" {
			target += "#" + lesson.assignment
		}
		fmt.Fprintf(&b, "<p>From <a href=\"../%s\">%s</a>.</p>\n", target, html.EscapeString(lesson.title))
		if lesson.assignmentMD != "" {
			section, _, err := renderMarkdown(lesson.assignmentMD, newPageIDs())
			if err != nil {
				return "", err
			}
			b.WriteString("<section class=\"text\">\n" + section + "</section>\n")
		}
	}
	if a.Doc != "" {
		doc, _, err := renderMarkdown(goDocToMarkdown(a.Doc), newPageIDs())
		if err != nil {
			return "", err
		}
		b.WriteString("<section class=\"text\">\n" + doc + "</section>\n")
	}
	b.WriteString("<h2>What you write</h2>\n<p>Your copy is in <code>notebooks/_assignments/" + html.EscapeString(a.Name) +
		"/</code>: write the parts marked <code>TODO</code>.</p>\n")
	for _, name := range slices.Sorted(maps.Keys(a.Files)) {
		fmt.Fprintf(&b, "<h3>%s</h3>\n<pre class=\"code\"><code>%s</code></pre>\n", html.EscapeString(name), html.EscapeString(a.Files[name]))
	}
	total := 0
	for _, c := range a.Checks {
		total += c.Points
	}
	fmt.Fprintf(&b, "<h2>How it is graded</h2>\n<p>%d checks, %d points. Grade your version with <code>%s</code>.</p>\n<table>\n<tr><th>check</th><th>points</th><th>what it checks</th></tr>\n",
		len(a.Checks), total, html.EscapeString(a.Grade))
	for _, c := range a.Checks {
		fmt.Fprintf(&b, "<tr><td><code>%s</code></td><td>%d</td><td>%s</td></tr>\n", html.EscapeString(c.Test), c.Points, html.EscapeString(c.Doc))
	}
	b.WriteString("</table>\n</article>\n")
	return b.String(), nil
}

// goDocToMarkdown turns a Go doc comment into Markdown: indented lines (code in Go doc)
// become a fenced block.
func goDocToMarkdown(doc string) string {
	var b strings.Builder
	inCode := false
	for _, line := range strings.Split(strings.TrimRight(doc, "\n"), "\n") {
		code := strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    ")
		switch {
		case code && !inCode:
			b.WriteString("```\n")
			inCode = true
		case !code && inCode && strings.TrimSpace(line) != "":
			b.WriteString("```\n")
			inCode = false
		}
		if inCode {
			line = strings.TrimPrefix(strings.TrimPrefix(line, "\t"), "    ")
		}
		b.WriteString(line + "\n")
	}
	if inCode {
		b.WriteString("```\n")
	}
	return b.String()
}

// writePage writes a whole HTML page. prefix leads from the page to the site's root.
func writePage(dir, name, title string, o Options, body, prefix string) error {
	full := o.Title
	if title != "" {
		full = title + " — " + o.Title
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<link rel="stylesheet" href="%sstyle.css">
</head>
<body>
<header><a href="%sindex.html">%s</a></header>
<main>
`, html.EscapeString(full), prefix, prefix, html.EscapeString(o.Title))
	if name == "index.html" {
		fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(o.Title))
	}
	b.WriteString(body)
	b.WriteString("</main>\n")
	if o.Footer != "" {
		footer, _, _ := renderMarkdown(o.Footer, newPageIDs())
		b.WriteString("<footer>\n" + footer + "</footer>\n")
	}
	b.WriteString("</body>\n</html>\n")
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// styleCSS is the site's one style sheet: a readable column, code and outputs set apart.
const styleCSS = `body { font-family: system-ui, sans-serif; line-height: 1.5; color: #222; margin: 0; background: #fafafa; }
header { background: #1f3b57; padding: 0.6em 1.5em; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { max-width: 60em; margin: 0 auto; padding: 1em 1.5em 3em; background: #fff; }
footer { max-width: 60em; margin: 0 auto; padding: 0.5em 1.5em; color: #666; font-size: 0.9em; }
h1, h2, h3 { line-height: 1.25; }
a { color: #1f5f9f; }
pre { overflow-x: auto; padding: 0.6em 0.8em; border-radius: 4px; font-size: 0.88em; tab-size: 4; -moz-tab-size: 4; }
pre.code { background: #f3f5f7; border: 1px solid #dde2e6; margin: 0; }
.cell { display: grid; grid-template-columns: 3.5em 1fr; margin: 1em 0; }
.cell .prompt { color: #888; font-family: monospace; font-size: 0.85em; padding-top: 0.7em; }
.cell .outputs { grid-column: 2; }
pre.stdout { background: none; margin: 0.3em 0; }
pre.stderr { background: #fff6f0; color: #7a4a20; margin: 0.3em 0; }
pre.error { background: #fdecec; color: #a11; }
figure { margin: 0.5em 0; }
img, .html img.figure { max-width: 100%; height: auto; }
.html { overflow-x: auto; }
blockquote { border-left: 4px solid #1f5f9f; margin: 1em 0; padding: 0.2em 1em; background: #f2f7fc; }
table { border-collapse: collapse; }
td, th { border: 1px solid #dde2e6; padding: 0.3em 0.6em; vertical-align: top; text-align: left; }
nav.pager { display: flex; justify-content: space-between; margin: 0.5em 0 1.5em; font-size: 0.95em; }
ol.contents > li { margin-bottom: 0.8em; }
.ran { color: #666; font-size: 0.9em; }
`
