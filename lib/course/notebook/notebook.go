package notebook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Notebook is the part of Jupyter's nbformat 4 document that the course writes and reads.
type Notebook struct {
	Cells         []Cell         `json:"cells"`
	Metadata      map[string]any `json:"metadata"`
	NBFormat      int            `json:"nbformat"`
	NBFormatMinor int            `json:"nbformat_minor"`
}

// Cell is one notebook cell. Source holds the text as Jupyter stores it: a list of lines,
// each but the last ending in "\n". ExecutionCount and Outputs exist for code cells only.
type Cell struct {
	CellType       string         `json:"cell_type"`
	ExecutionCount *int           `json:"execution_count,omitempty"`
	ID             string         `json:"id"`
	Metadata       map[string]any `json:"metadata"`
	Outputs        *[]Output      `json:"outputs,omitempty"`
	Source         Lines          `json:"source"`
}

// MarshalJSON writes a code cell with its execution_count (null when never run) and
// outputs, as nbformat requires, and a markdown cell without them.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.CellType != "code" {
		return marshalRaw(struct {
			CellType string         `json:"cell_type"`
			ID       string         `json:"id"`
			Metadata map[string]any `json:"metadata"`
			Source   Lines          `json:"source"`
		}{c.CellType, c.ID, c.Metadata, c.Source})
	}
	outputs := []Output{}
	if c.Outputs != nil {
		outputs = *c.Outputs
	}
	return marshalRaw(struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount *int           `json:"execution_count"`
		ID             string         `json:"id"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []Output       `json:"outputs"`
		Source         Lines          `json:"source"`
	}{c.CellType, c.ExecutionCount, c.ID, c.Metadata, outputs, c.Source})
}

// marshalRaw is json.Marshal without escaping <, > and &, as Jupyter writes them.
func marshalRaw(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Text returns the cell's source as one string.
func (c Cell) Text() string { return strings.Join(c.Source, "") }

// Output is one output of an executed code cell: a stream ("stdout"/"stderr" text), a
// display or result (Data by MIME type), or an error (EName, EValue, Traceback).
type Output struct {
	OutputType string         `json:"output_type"`
	Name       string         `json:"name,omitempty"`
	Text       Lines          `json:"text,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
	EName      string         `json:"ename,omitempty"`
	EValue     string         `json:"evalue,omitempty"`
	Traceback  []string       `json:"traceback,omitempty"`
}

// Lines is multi-line text as nbformat stores it: either one string or a list of strings
// to be concatenated. It decodes from both forms and encodes as a list of lines.
type Lines []string

// UnmarshalJSON accepts a string or a list of strings.
func (l *Lines) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*l = splitLines(one)
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return fmt.Errorf("multi-line text is neither a string nor a list of strings: %w", err)
	}
	*l = many
	return nil
}

// splitLines splits text into lines that keep their "\n", as nbformat lists them.
func splitLines(text string) Lines {
	lines := Lines{}
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i+1])
		text = text[i+1:]
	}
	return lines
}

// KernelName is the name under which `gonb --install` registers the GoNB kernel.
const KernelName = "gonb"

// SetupCell is the code that opens every generated notebook. It turns off GoNB's
// automatic `go get` (which would ask the network for the latest versions), makes the
// kernel's scratch module part of a Go workspace with the repository that holds the
// notebook (the kernel runs in notebooks/, so "${GONB_DIR}/.." is the clone's root), and
// lets GoNB add the matching replace rules for its language server.
const SetupCell = `%noautoget
!*rm -f go.work && go work init && go work use . "${GONB_DIR}/.."
%goworkfix`

// setupIntro is the markdown shown above SetupCell.
const setupIntro = "*Setup — run this cell first.* It points the Go kernel at this repository's `lib/` " +
	"packages and the versions pinned in its `go.mod`; nothing is downloaded."

// FromLesson builds the notebook for a lesson. name identifies the lesson (its file name
// without extension, e.g. "00-welcome") and seeds the cell ids; markdown is its text.
func FromLesson(name, markdown string) (*Notebook, error) {
	blocks, err := parseLesson(markdown)
	if err != nil {
		return nil, fmt.Errorf("lesson %s: %w", name, err)
	}
	nb := &Notebook{
		Metadata: map[string]any{
			"kernelspec": map[string]any{
				"display_name": "Go (gonb)",
				"language":     "go",
				"name":         KernelName,
			},
			"language_info": map[string]any{
				"file_extension": ".go",
				"mimetype":       "text/x-go",
				"name":           "go",
			},
		},
		NBFormat:      4,
		NBFormatMinor: 5,
	}
	// Put the setup after the lesson's title when it starts with one, so the notebook
	// still opens on its title.
	if len(blocks) > 0 && !blocks[0].code && strings.HasPrefix(blocks[0].text, "# ") {
		title, rest, _ := strings.Cut(blocks[0].text, "\n")
		blocks[0].text = strings.TrimSpace(rest)
		blocks = append([]block{{text: title}, {text: setupIntro}, {code: true, text: SetupCell}}, blocks...)
	} else {
		blocks = append([]block{{text: setupIntro}, {code: true, text: SetupCell}}, blocks...)
	}
	for _, b := range blocks {
		if b.text == "" {
			continue
		}
		cell := Cell{
			ID:       cellID(name, len(nb.Cells)),
			Metadata: map[string]any{},
			Source:   splitLines(b.text),
			CellType: "markdown",
		}
		if b.code {
			cell.CellType = "code"
			cell.Outputs = &[]Output{}
		}
		nb.Cells = append(nb.Cells, cell)
	}
	// What the generator wrote, so that `make notebooks` can tell a student's edits from
	// a change of the lesson (see EditedByHand).
	nb.Metadata[cellsKey] = map[string]any{
		"lesson":       name,
		"cells_sha256": nb.CellsDigest(),
		"note":         "generated from lessons/" + name + ".md by `make notebooks`; edit the lesson, not this notebook",
	}
	return nb, nil
}

// cellID derives a stable nbformat cell id (8 hex digits) from the lesson and position.
func cellID(lesson string, index int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", lesson, index)))
	return hex.EncodeToString(sum[:4])
}

// block is a run of lesson text: Go code for one cell, or markdown.
type block struct {
	code bool
	text string
}

// parseLesson splits a lesson into markdown and Go code blocks. A Go block opens with a
// line that is exactly "```go" (trailing spaces allowed) and closes with a line "```".
// Any other fence is markdown and is carried through with its contents untouched.
func parseLesson(markdown string) ([]block, error) {
	var blocks []block
	var current strings.Builder
	flush := func(code bool) {
		text := strings.Trim(current.String(), "\n")
		if !code {
			text = strings.TrimSpace(text)
		}
		blocks = append(blocks, block{code: code, text: text})
		current.Reset()
	}
	const (
		inMarkdown = iota
		inGo
		inOtherFence
	)
	state, openedAt, otherFence := inMarkdown, 0, ""
	lines := strings.Split(strings.ReplaceAll(markdown, "\r\n", "\n"), "\n")
	for i, line := range lines {
		trimmed := strings.TrimRight(line, " \t")
		switch state {
		case inMarkdown:
			if trimmed == "```go" {
				flush(false)
				state, openedAt = inGo, i+1
				continue
			}
			if fence := fenceOf(trimmed); fence != "" {
				state, openedAt, otherFence = inOtherFence, i+1, fence
			}
			current.WriteString(line + "\n")
		case inGo:
			if trimmed == "```" {
				flush(true)
				if blocks[len(blocks)-1].text == "" {
					return nil, fmt.Errorf("line %d: empty ```go block", openedAt)
				}
				state = inMarkdown
				continue
			}
			current.WriteString(line + "\n")
		case inOtherFence:
			current.WriteString(line + "\n")
			if strings.TrimSpace(trimmed) == otherFence {
				state = inMarkdown
			}
		}
	}
	switch state {
	case inGo:
		return nil, fmt.Errorf("line %d: ```go block is never closed", openedAt)
	case inOtherFence:
		return nil, fmt.Errorf("line %d: %s block is never closed", openedAt, otherFence)
	}
	flush(false)
	return blocks, nil
}

// fenceOf returns the fence ("```" or "~~~", possibly longer) that opens a fenced block on
// this line, or "" when the line opens none.
func fenceOf(line string) string {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 {
		return "" // indented code, not a fence
	}
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(s) && s[n] == c {
			n++
		}
		if n >= 3 {
			return s[:n]
		}
	}
	return ""
}

// Marshal encodes the notebook the way Jupyter does (one-space indentation, a final
// newline), so a notebook saved by Jupyter and one written here diff cleanly.
func (nb *Notebook) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Read decodes the notebook at path.
func Read(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb Notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	return &nb, nil
}
