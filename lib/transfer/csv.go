package transfer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// csvHeader is the header WriteCSV writes and ReadCSV expects.
var csvHeader = []string{"method", "size", "seed", "accuracy", "steps", "seconds"}

// WriteCSV writes rows to path as CSV (method,size,seed,accuracy,steps,seconds),
// atomically.
func WriteCSV(path string, rows []Row) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(csvHeader)
		for _, r := range rows {
			cw.Write([]string{string(r.Method), strconv.Itoa(r.Size), strconv.FormatUint(r.Seed, 10),
				strconv.FormatFloat(r.Accuracy, 'g', -1, 64), strconv.Itoa(r.Steps), strconv.FormatFloat(r.Seconds, 'f', 2, 64)})
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReadCSV reads rows written by WriteCSV.
func ReadCSV(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("transfer: %s: %w", path, err)
	}
	if len(records) == 0 || !slices.Equal(records[0], csvHeader) {
		return nil, fmt.Errorf("transfer: %s: header %v, want %v", path, firstOrNil(records), csvHeader)
	}
	var rows []Row
	for i, rec := range records[1:] {
		bad := func(col int, err error) error {
			return fmt.Errorf("transfer: %s line %d: %s %q: %w", path, i+2, csvHeader[col], rec[col], err)
		}
		var r Row
		r.Method = Method(rec[0])
		if r.Size, err = strconv.Atoi(rec[1]); err != nil {
			return nil, bad(1, err)
		}
		if r.Seed, err = strconv.ParseUint(rec[2], 10, 64); err != nil {
			return nil, bad(2, err)
		}
		if r.Accuracy, err = strconv.ParseFloat(rec[3], 64); err != nil || r.Accuracy < 0 || r.Accuracy > 1 {
			return nil, bad(3, errors.Join(err, errors.New("want a number in [0, 1]")))
		}
		if r.Steps, err = strconv.Atoi(rec[4]); err != nil {
			return nil, bad(4, err)
		}
		if r.Seconds, err = strconv.ParseFloat(rec[5], 64); err != nil {
			return nil, bad(5, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// MustReadCSV is ReadCSV that panics on error, for notebooks.
func MustReadCSV(path string) []Row {
	rows, err := ReadCSV(path)
	if err != nil {
		panic(err)
	}
	return rows
}

func firstOrNil(records [][]string) []string {
	if len(records) == 0 {
		return nil
	}
	return records[0]
}
