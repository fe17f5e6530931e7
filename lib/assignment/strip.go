package assignment

import (
	"bufio"
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

// Student returns the student's version of one instructor's Go source file: every
// region between a "// BEGIN SOLUTION" line and its "// END SOLUTION" line becomes
// a stub, and imports left unused are removed. name is the file's name, for errors
// and for the formatter. A file without regions comes back formatted but otherwise
// unchanged. Unbalanced or nested markers are an error naming the line.
func Student(name string, src []byte) ([]byte, error) {
	var out bytes.Buffer
	scanner := bufio.NewScanner(bytes.NewReader(src))
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	lineNum, beginLine := 0, 0
	var hint string
	for scanner.Scan() {
		lineNum++
		line := scanner.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, beginMarker):
			if beginLine != 0 {
				return nil, fmt.Errorf("%s:%d: BEGIN SOLUTION inside the region opened at line %d", name, lineNum, beginLine)
			}
			beginLine = lineNum
			hint = strings.TrimSpace(strings.TrimPrefix(trimmed, beginMarker))
			hint = strings.TrimSpace(strings.TrimLeft(hint, ":—-"))
			indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			if hint != "" {
				fmt.Fprintf(&out, "%s// TODO: %s\n", indent, hint)
			} else {
				fmt.Fprintf(&out, "%s// TODO: write this part.\n", indent)
			}
			message := "not implemented"
			if hint != "" {
				message += ": " + hint
			}
			fmt.Fprintf(&out, "%spanic(%s)\n", indent, strconv.Quote(message))
		case strings.HasPrefix(trimmed, endMarker):
			if beginLine == 0 {
				return nil, fmt.Errorf("%s:%d: END SOLUTION without a BEGIN SOLUTION", name, lineNum)
			}
			beginLine = 0
		case beginLine == 0:
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if beginLine != 0 {
		return nil, fmt.Errorf("%s:%d: BEGIN SOLUTION is never closed", name, beginLine)
	}
	formatted, err := imports.Process(name, out.Bytes(), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: false})
	if err != nil {
		return nil, fmt.Errorf("%s: the student's version does not parse: %w", name, err)
	}
	return formatted, nil
}

// HasSolution reports whether src holds at least one solution region.
func HasSolution(src []byte) bool {
	return bytes.Contains(src, []byte(beginMarker))
}
