package assignment

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/tools/imports"
)

const (
	beginMarker = "// BEGIN SOLUTION"
	endMarker   = "// END SOLUTION"
)

// region is one solution region of a source file: the 1-based line numbers of its
// BEGIN and END marker lines, the hint after "BEGIN SOLUTION", and the indentation of
// the BEGIN line.
type region struct {
	begin, end   int
	hint, indent string
}

// lines splits src into its lines, without their "\n" (a final newline adds no empty
// line).
func lines(src []byte) []string {
	text := strings.TrimSuffix(string(src), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// regions finds the solution regions of a source file. Unbalanced or nested markers
// are an error naming the line.
func regions(name string, src []byte) ([]region, error) {
	var found []region
	open := 0
	for i, line := range lines(src) {
		lineNum := i + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, beginMarker):
			if open != 0 {
				return nil, fmt.Errorf("%s:%d: BEGIN SOLUTION inside the region opened at line %d", name, lineNum, open)
			}
			open = lineNum
			hint := strings.TrimSpace(strings.TrimPrefix(trimmed, beginMarker))
			hint = strings.TrimSpace(strings.TrimLeft(hint, ":—-"))
			found = append(found, region{begin: lineNum, hint: hint, indent: line[:len(line)-len(strings.TrimLeft(line, " \t"))]})
		case strings.HasPrefix(trimmed, endMarker):
			if open == 0 {
				return nil, fmt.Errorf("%s:%d: END SOLUTION without a BEGIN SOLUTION", name, lineNum)
			}
			found[len(found)-1].end = lineNum
			open = 0
		}
	}
	if open != 0 {
		return nil, fmt.Errorf("%s:%d: BEGIN SOLUTION is never closed", name, open)
	}
	return found, nil
}

// Student returns the student's version of one instructor's Go source file: every
// region between a "// BEGIN SOLUTION" line and its "// END SOLUTION" line becomes
// a stub, and imports left unused are removed. name is the file's name, for errors
// and for the formatter. A file without regions comes back formatted but otherwise
// unchanged. Unbalanced or nested markers are an error naming the line.
func Student(name string, src []byte) ([]byte, error) {
	found, err := regions(name, src)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	all := lines(src)
	next := 0 // index in all of the first line not yet written
	for _, r := range found {
		for _, line := range all[next : r.begin-1] {
			out.WriteString(line + "\n")
		}
		todo, message := "write this part.", "not implemented"
		if r.hint != "" {
			todo, message = r.hint, message+": "+r.hint
		}
		fmt.Fprintf(&out, "%s// TODO: %s\n", r.indent, todo)
		fmt.Fprintf(&out, "%spanic(%s)\n", r.indent, strconv.Quote(message))
		next = r.end
	}
	for _, line := range all[next:] {
		out.WriteString(line + "\n")
	}
	return format(name, out.Bytes())
}

// format runs goimports on a generated source file: unused imports go, missing
// standard ones come, and the layout is gofmt's.
func format(name string, src []byte) ([]byte, error) {
	formatted, err := imports.Process(name, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: false})
	if err != nil {
		return nil, fmt.Errorf("%s: the generated version does not parse: %w", name, err)
	}
	return formatted, nil
}

// HasSolution reports whether src holds at least one solution region.
func HasSolution(src []byte) bool {
	return bytes.Contains(src, []byte(beginMarker))
}
