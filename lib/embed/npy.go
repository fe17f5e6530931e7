package embed

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

const npyMagic = "\x93NUMPY"

// EncodeNPY writes values, of the given shape, as a NumPy .npy file (format
// 1.0, '<f4', C order), with the header numpy.save writes byte for byte.
func EncodeNPY(w io.Writer, values []float32, shape ...int) error {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
		n *= d
	}
	if n != len(values) {
		return fmt.Errorf("npy: shape %v holds %d values, have %d", shape, n, len(values))
	}
	// As numpy.lib.format: the dict's repr, room for the first axis to grow to
	// 21 digits, spaces to align the data to 64 bytes, a newline.
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	shapeRepr := "(" + strings.Join(dims, ", ") + ")"
	if len(shape) == 1 {
		shapeRepr = "(" + dims[0] + ",)"
	}
	header := "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeRepr + ", }"
	if len(shape) > 0 {
		header += strings.Repeat(" ", 21-len(dims[0]))
	}
	pad := 64 - (len(npyMagic)+2+2+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	if len(header) > math.MaxUint16 {
		return fmt.Errorf("npy: header of %d bytes", len(header))
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(npyMagic)
	bw.Write([]byte{1, 0})
	binary.Write(bw, binary.LittleEndian, uint16(len(header)))
	bw.WriteString(header)
	var b [4]byte
	for _, v := range values {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		bw.Write(b[:])
	}
	return bw.Flush()
}

// DecodeNPY reads a NumPy .npy file (format 1.0, 2.0 or 3.0) of little- or
// big-endian float32 or float64 values in C order; float64 values are rounded
// to float32. It returns the values, flat, and the shape.
func DecodeNPY(data []byte) (values []float32, shape []int, err error) {
	if len(data) < 10 || string(data[:6]) != npyMagic {
		return nil, nil, errors.New("npy: not a .npy file (no \\x93NUMPY magic)")
	}
	var headerLen, start int
	switch data[6] {
	case 1:
		headerLen, start = int(binary.LittleEndian.Uint16(data[8:10])), 10
	case 2, 3:
		if len(data) < 12 {
			return nil, nil, errors.New("npy: truncated header")
		}
		headerLen, start = int(binary.LittleEndian.Uint32(data[8:12])), 12
	default:
		return nil, nil, fmt.Errorf("npy: format version %d.%d not supported", data[6], data[7])
	}
	if headerLen < 0 || headerLen > len(data)-start {
		return nil, nil, fmt.Errorf("npy: header of %d bytes in a file of %d", headerLen, len(data))
	}
	header := string(data[start : start+headerLen])
	body := data[start+headerLen:]
	fields, err := parseNPYHeader(header)
	if err != nil {
		return nil, nil, err
	}
	descr, ok := fields["descr"]
	if !ok {
		return nil, nil, fmt.Errorf("npy: header %q has no descr", header)
	}
	var size int
	var order binary.ByteOrder = binary.LittleEndian
	switch descr {
	case "'<f4'", "'>f4'":
		size = 4
	case "'<f8'", "'>f8'":
		size = 8
	default:
		return nil, nil, fmt.Errorf("npy: dtype %s not supported (want float32 or float64)", descr)
	}
	if descr[1] == '>' {
		order = binary.BigEndian
	}
	switch fields["fortran_order"] {
	case "False":
	case "True":
		return nil, nil, errors.New("npy: Fortran-ordered arrays are not supported (save with numpy.ascontiguousarray)")
	default:
		return nil, nil, fmt.Errorf("npy: header %q: fortran_order %q", header, fields["fortran_order"])
	}
	shape, err = parseNPYShape(fields["shape"])
	if err != nil {
		return nil, nil, fmt.Errorf("npy: header %q: %w", header, err)
	}
	n := 1
	for _, d := range shape {
		if d > 0 && n > len(body)/d {
			return nil, nil, fmt.Errorf("npy: shape %v needs more than the %d bytes of data", shape, len(body))
		}
		n *= d
	}
	if n*size != len(body) {
		return nil, nil, fmt.Errorf("npy: shape %v of %d-byte values needs %d bytes of data, have %d", shape, size, n*size, len(body))
	}
	values = make([]float32, n)
	for i := range values {
		if size == 4 {
			values[i] = math.Float32frombits(order.Uint32(body[4*i:]))
		} else {
			values[i] = float32(math.Float64frombits(order.Uint64(body[8*i:])))
		}
	}
	return values, shape, nil
}

// parseNPYHeader splits a header such as
// "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }" into its
// values, by key, as written ("'<f4'", "False", "(3, 4)").
func parseNPYHeader(header string) (map[string]string, error) {
	h := strings.TrimSpace(header)
	if !strings.HasPrefix(h, "{") || !strings.HasSuffix(h, "}") {
		return nil, fmt.Errorf("npy: header %q is not a dict", header)
	}
	h = h[1 : len(h)-1]
	fields := map[string]string{}
	for {
		h = strings.TrimLeft(h, " ,")
		if h == "" {
			return fields, nil
		}
		if h[0] != '\'' && h[0] != '"' {
			return nil, fmt.Errorf("npy: header %q: key not quoted at %q", header, h)
		}
		end := strings.IndexByte(h[1:], h[0])
		if end < 0 {
			return nil, fmt.Errorf("npy: header %q: unterminated key", header)
		}
		key := h[1 : 1+end]
		h = strings.TrimLeft(h[2+end:], " ")
		if !strings.HasPrefix(h, ":") {
			return nil, fmt.Errorf("npy: header %q: no ':' after key %q", header, key)
		}
		h = strings.TrimLeft(h[1:], " ")
		var value string
		switch {
		case strings.HasPrefix(h, "("):
			end := strings.IndexByte(h, ')')
			if end < 0 {
				return nil, fmt.Errorf("npy: header %q: unterminated tuple", header)
			}
			value, h = h[:end+1], h[end+1:]
		case strings.HasPrefix(h, "'") || strings.HasPrefix(h, "\""):
			end := strings.IndexByte(h[1:], h[0])
			if end < 0 {
				return nil, fmt.Errorf("npy: header %q: unterminated string", header)
			}
			value, h = h[:end+2], h[end+2:]
		default:
			end := strings.IndexAny(h, ",}")
			if end < 0 {
				end = len(h)
			}
			value, h = strings.TrimSpace(h[:end]), h[end:]
		}
		fields[key] = value
	}
}

// parseNPYShape parses a shape tuple: "()", "(5,)", "(3, 4)".
func parseNPYShape(s string) ([]int, error) {
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return nil, fmt.Errorf("shape %q is not a tuple", s)
	}
	shape := []int{}
	for _, part := range strings.Split(s[1:len(s)-1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, err := strconv.Atoi(strings.TrimSuffix(part, "L"))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("shape %q: bad dimension %q", s, part)
		}
		shape = append(shape, d)
	}
	return shape, nil
}

// ReadNPY reads a .npy file of float32 or float64 values (see DecodeNPY).
func ReadNPY(path string) (values []float32, shape []int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	values, shape, err = DecodeNPY(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return values, shape, nil
}

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
	return atomicfile.Write(path, func(w io.Writer) error { return EncodeNPY(w, flat, e.Len(), e.Dim()) })
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
	values, shape, err := ReadNPY(prefix + ".npy")
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
