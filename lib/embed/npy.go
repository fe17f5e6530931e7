package embed

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/npy"
)

// WriteNPY writes the vectors to path as a (Len, Dim) float32 .npy file, the
// form numpy.load reads; rows are in the order of Keys (see WriteKeysCSV).
func (e *Embeddings) WriteNPY(path string) error {
	flat := make([]float32, 0, e.Len()*e.Dim())
	for i, v := range e.Vectors {
		if len(v) != e.Dim() {
			return fmt.Errorf("embed: write %s: vector %d has %d values, not %d", path, i, len(v), e.Dim())
		}
		flat = append(flat, v...)
	}
	return npy.WriteFile(path, flat, e.Len(), e.Dim())
}

// WriteKeysCSV writes the keys to path as CSV with the header
// file,start_time,end_time (seconds), one row per vector, in order.
func (e *Embeddings) WriteKeysCSV(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"file", "start_time", "end_time"})
		for _, k := range e.Keys {
			cw.Write([]string{k.File, strconv.FormatFloat(k.StartSeconds, 'g', -1, 64), strconv.FormatFloat(k.EndSeconds, 'g', -1, 64)})
		}
		cw.Flush()
		return cw.Error()
	})
}

// Save writes prefix.npy and prefix.csv (WriteNPY, WriteKeysCSV).
func (e *Embeddings) Save(prefix string) error {
	if err := e.WriteNPY(prefix + ".npy"); err != nil {
		return err
	}
	return e.WriteKeysCSV(prefix + ".csv")
}

// ReadKeysCSV reads a file,start_time,end_time CSV (extra columns are ignored).
func ReadKeysCSV(path string) ([]Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 || len(rows[0]) < 3 || rows[0][0] != "file" || rows[0][1] != "start_time" || rows[0][2] != "end_time" {
		return nil, fmt.Errorf("%s: want a header file,start_time,end_time", path)
	}
	keys := make([]Key, 0, len(rows)-1)
	for i, row := range rows[1:] {
		if len(row) < 3 {
			return nil, fmt.Errorf("%s: line %d: %d columns, want 3", path, i+2, len(row))
		}
		start, err1 := strconv.ParseFloat(row[1], 64)
		end, err2 := strconv.ParseFloat(row[2], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, i+2, err)
		}
		keys = append(keys, Key{row[0], start, end})
	}
	return keys, nil
}

// Read reads embeddings written by Save: prefix.npy (a 2-D float array) and
// prefix.csv (their keys). Model, Layer and Pooling are not stored, so they are
// left empty.
func Read(prefix string) (*Embeddings, error) {
	values, shape, err := npy.ReadFloat32(prefix + ".npy")
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	if len(shape) != 2 {
		return nil, fmt.Errorf("embed: %s.npy: shape %v, want (rows, dim)", prefix, shape)
	}
	keys, err := ReadKeysCSV(prefix + ".csv")
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	if len(keys) != shape[0] {
		return nil, fmt.Errorf("embed: %s.csv has %d keys for the %d rows of %s.npy", prefix, len(keys), shape[0], prefix)
	}
	e := &Embeddings{Keys: keys, Vectors: make([][]float32, shape[0])}
	for i := range e.Vectors {
		e.Vectors[i] = values[i*shape[1] : (i+1)*shape[1] : (i+1)*shape[1]]
	}
	return e, nil
}
