package synth

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
)

// What WriteCorpus and WriteHardCorpus share: the folders, the writing of the
// recordings and the label table.

// writeCorpusFiles writes a generated corpus into dir: it creates dir/audio and
// dir/selections, writes every recording (writeRecording(dir, i) into
// recordings[i], in parallel) and then the tables (writeTables).
func writeCorpusFiles[R any](dir string, recordings []R, writeRecording func(dir string, i int) (R, error), writeTables func(dir string) error) error {
	for _, sub := range []string{"audio", "selections"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
	}
	err := parallel.For(len(recordings), 0, func(i int) (err error) {
		recordings[i], err = writeRecording(dir, i)
		return err
	})
	if err != nil {
		return err
	}
	return writeTables(dir)
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
