package synth

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// What WriteCorpus and WriteHardCorpus share: the folders and the label table.

// makeCorpusDirs creates dir/audio and dir/selections.
func makeCorpusDirs(dir string) error {
	for _, sub := range []string{"audio", "selections"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
	}
	return nil
}

// writeLabelsCSV writes an OpenSoundscape label table to path: a column a
// class (named code(class), in the order of classes), a row a recording r <
// n: its file, start 0, end durationSeconds, and 1 in the columns of the
// classes labelled(r) returns, 0 elsewhere.
func writeLabelsCSV(path string, classes []int, code func(class int) string, durationSeconds float64, n int,
	labelled func(r int) (file string, labelledClasses []int)) error {
	codes := make([]string, len(classes))
	column := map[int]int{}
	for k, class := range classes {
		codes[k] = code(class)
		column[class] = k
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "file,start_time,end_time,%s\n", strings.Join(codes, ","))
		for r := range n {
			row := make([]string, len(codes))
			for k := range row {
				row[k] = "0"
			}
			file, classes := labelled(r)
			for _, class := range classes {
				row[column[class]] = "1"
			}
			fmt.Fprintf(bw, "%s,0,%s,%s\n", file, ff(durationSeconds, 3), strings.Join(row, ","))
		}
		return bw.Flush()
	})
}
