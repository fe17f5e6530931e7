// Package npy reads and writes NumPy's .npy files, the format in which the library's
// embeddings, the benchmarks' matrices and label vectors, and the Beam pipeline's shards
// travel to and from Python (numpy.load, numpy.save).
//
// A .npy file is a magic string, a format version (1.0, 2.0 or 3.0), a header that is a
// Python dict literal — the dtype ('descr', e.g. '<f4'), 'fortran_order' and 'shape' —
// and the values, flat. [Encode] writes format 1.0 in C order with the header numpy.save
// writes, byte for byte, for float32, float64 and the integer types; [Decode] reads any
// version, little- or big-endian, of the types in [DTypes]. Fortran-ordered arrays and
// other dtypes (complex, strings, objects, records) are refused with an error that says
// so.
//
// Values leave an [Array] in the type a caller computes with: [Array.Float32] rounds
// float64 values to the nearest float32 (as the library's embeddings are float32) but
// refuses an integer that float32 cannot hold exactly; [Array.Float64] refuses an integer
// beyond ±2^53; [Array.Int64] takes integer dtypes only. Nothing is converted silently
// into a different number.
package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

const magic = "\x93NUMPY"

// DTypes are the value types read and written, as numpy's type codes: a kind (f float,
// i signed integer, u unsigned integer) and a size in bytes. In a header each has a
// byte order: '<' little-endian, '>' big-endian, '|' (one byte, no order).
var DTypes = []string{"f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"}

// Array is a decoded .npy file: its shape, its dtype as the header writes it ('<f4',
// '>i8', '|u1') and its values, still as bytes; the methods convert them.
type Array struct {
	// Shape is the size of each axis; () for a scalar, which holds one value.
	Shape []int
	// DType is the header's descr: byte order, kind and size in bytes.
	DType string

	order binary.ByteOrder
	kind  byte // 'f', 'i' or 'u'
	size  int  // bytes per value
	body  []byte
}

// Len is the number of values: the product of Shape.
func (a *Array) Len() int { return len(a.body) / a.size }

// Float64 returns the values, flat in C order, as float64: floats as they are, integers
// when every one is within ±2^53 (where float64 holds each integer exactly), else an error.
func (a *Array) Float64() ([]float64, error) { return floats[float64](a, 1<<53, "float64") }

// Float32 returns the values, flat in C order, as float32: float64 values rounded to the
// nearest float32, integers when every one is within ±2^24 (where float32 holds each
// integer exactly), else an error.
func (a *Array) Float32() ([]float32, error) { return floats[float32](a, 1<<24, "float32") }

// floats converts a's values to T, refusing an integer beyond ±exact, which T (named
// typeName in the error) cannot hold exactly.
func floats[T float32 | float64](a *Array, exact int64, typeName string) ([]T, error) {
	out := make([]T, a.Len())
	for i := range out {
		switch {
		case a.kind == 'f' && a.size == 4:
			out[i] = T(math.Float32frombits(a.order.Uint32(a.body[4*i:])))
		case a.kind == 'f':
			out[i] = T(math.Float64frombits(a.order.Uint64(a.body[8*i:])))
		case a.kind == 'i':
			v := a.int(i)
			if v > exact || v < -exact {
				return nil, fmt.Errorf("npy: value %d is %d, which %s cannot hold exactly", i, v, typeName)
			}
			out[i] = T(v)
		default:
			v := a.uint(i)
			if v > uint64(exact) {
				return nil, fmt.Errorf("npy: value %d is %d, which %s cannot hold exactly", i, v, typeName)
			}
			out[i] = T(v)
		}
	}
	return out, nil
}

// Int64 returns the values, flat in C order, of an integer array (an error for a float
// one, or for a uint64 value above math.MaxInt64).
func (a *Array) Int64() ([]int64, error) {
	if a.kind == 'f' {
		return nil, fmt.Errorf("npy: dtype %s is not an integer type", a.DType)
	}
	out := make([]int64, a.Len())
	for i := range out {
		if a.kind == 'i' {
			out[i] = a.int(i)
			continue
		}
		v := a.uint(i)
		if v > math.MaxInt64 {
			return nil, fmt.Errorf("npy: value %d is %d, more than int64 holds", i, v)
		}
		out[i] = int64(v)
	}
	return out, nil
}

// Rows64 returns a 2-D array's values as rows of float64 (see Float64).
func (a *Array) Rows64() ([][]float64, error) {
	if len(a.Shape) != 2 {
		return nil, fmt.Errorf("npy: shape %v, want (rows, columns)", a.Shape)
	}
	flat, err := a.Float64()
	if err != nil {
		return nil, err
	}
	return rows(flat, a.Shape[1]), nil
}

// Rows32 returns a 2-D array's values as rows of float32 (see Float32).
func (a *Array) Rows32() ([][]float32, error) {
	if len(a.Shape) != 2 {
		return nil, fmt.Errorf("npy: shape %v, want (rows, columns)", a.Shape)
	}
	flat, err := a.Float32()
	if err != nil {
		return nil, err
	}
	return rows(flat, a.Shape[1]), nil
}

// rows cuts flat into rows of cols values, each capped so an append cannot reach the next.
func rows[T any](flat []T, cols int) [][]T {
	n := 0
	if cols > 0 {
		n = len(flat) / cols
	}
	out := make([][]T, n)
	for i := range out {
		out[i] = flat[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return out
}

func (a *Array) int(i int) int64 {
	switch a.size {
	case 1:
		return int64(int8(a.body[i]))
	case 2:
		return int64(int16(a.order.Uint16(a.body[2*i:])))
	case 4:
		return int64(int32(a.order.Uint32(a.body[4*i:])))
	}
	return int64(a.order.Uint64(a.body[8*i:]))
}

func (a *Array) uint(i int) uint64 {
	switch a.size {
	case 1:
		return uint64(a.body[i])
	case 2:
		return uint64(a.order.Uint16(a.body[2*i:]))
	case 4:
		return uint64(a.order.Uint32(a.body[4*i:]))
	}
	return a.order.Uint64(a.body[8*i:])
}

// Read reads the .npy file at path (see Decode); errors name the file.
func Read(path string) (*Array, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ReadFloat32 reads the .npy file at path as float32 values, flat in C order, and its
// shape (see Array.Float32); errors name the file.
func ReadFloat32(path string) ([]float32, []int, error) {
	a, err := Read(path)
	if err != nil {
		return nil, nil, err
	}
	values, err := a.Float32()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return values, a.Shape, nil
}

// Decode parses a .npy file held in data. The Array's values share data's memory.
func Decode(data []byte) (*Array, error) {
	if len(data) < 10 || string(data[:6]) != magic {
		return nil, errors.New("npy: not a .npy file (no \\x93NUMPY magic)")
	}
	var headerLen, start int
	switch data[6] {
	case 1:
		headerLen, start = int(binary.LittleEndian.Uint16(data[8:10])), 10
	case 2, 3:
		if len(data) < 12 {
			return nil, errors.New("npy: truncated header")
		}
		headerLen, start = int(binary.LittleEndian.Uint32(data[8:12])), 12
	default:
		return nil, fmt.Errorf("npy: format version %d.%d not supported", data[6], data[7])
	}
	if headerLen < 0 || headerLen > len(data)-start {
		return nil, fmt.Errorf("npy: header of %d bytes in a file of %d", headerLen, len(data))
	}
	header := string(data[start : start+headerLen])
	body := data[start+headerLen:]
	fields, err := parseHeader(header)
	if err != nil {
		return nil, err
	}
	descr, ok := fields["descr"]
	if !ok {
		return nil, fmt.Errorf("npy: header %q has no descr", header)
	}
	a := &Array{DType: strings.Trim(descr, `'"`), order: binary.LittleEndian}
	if err := a.parseDType(); err != nil {
		return nil, err
	}
	switch fields["fortran_order"] {
	case "False":
	case "True":
		return nil, errors.New("npy: Fortran-ordered arrays are not supported (save with numpy.ascontiguousarray)")
	default:
		return nil, fmt.Errorf("npy: header %q: fortran_order %q", header, fields["fortran_order"])
	}
	a.Shape, err = parseShape(fields["shape"])
	if err != nil {
		return nil, fmt.Errorf("npy: header %q: %w", header, err)
	}
	n := 1
	for _, d := range a.Shape {
		if d > 0 && n > len(body)/d {
			return nil, fmt.Errorf("npy: shape %v needs more than the %d bytes of data", a.Shape, len(body))
		}
		n *= d
	}
	if n > len(body)/a.size || n*a.size != len(body) {
		return nil, fmt.Errorf("npy: shape %v of %d-byte values needs %d bytes of data, have %d", a.Shape, a.size, n*a.size, len(body))
	}
	a.body = body
	return a, nil
}

// parseDType reads a.DType ('<f4', '>i8', '|u1') into the byte order, kind and size.
func (a *Array) parseDType() error {
	d := a.DType
	if len(d) >= 3 {
		code := d[1:]
		for _, known := range DTypes {
			if code != known {
				continue
			}
			a.kind, a.size = code[0], int(code[1]-'0')
			switch {
			case d[0] == '>' && a.size > 1:
				a.order = binary.BigEndian
			case d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=':
			default:
				continue
			}
			return nil
		}
	}
	return fmt.Errorf("npy: dtype '%s' not supported (want one of %s, little- or big-endian)", d, strings.Join(DTypes, ", "))
}

// parseHeader splits a header such as
// "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }" into its
// values, by key, as written ("'<f4'", "False", "(3, 4)").
func parseHeader(header string) (map[string]string, error) {
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

// parseShape parses a shape tuple: "()", "(5,)", "(3, 4)".
func parseShape(s string) ([]int, error) {
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

// Values are the Go slices Encode writes, each as its numpy dtype.
type Values interface {
	[]float32 | []float64 | []int8 | []int16 | []int32 | []int64 | []uint8 | []uint16 | []uint32 | []uint64
}

// Encode writes values, of the given shape (none for a scalar), as a .npy file: format
// 1.0, C order, little-endian, with the header numpy.save writes byte for byte.
func Encode[V Values](w io.Writer, values V, shape ...int) error {
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
	var descr string
	var write func(*bufio.Writer) error
	switch v := any(values).(type) {
	case []float32:
		descr, write = "<f4", chunks(v)
	case []float64:
		descr, write = "<f8", chunks(v)
	case []int8:
		descr, write = "|i1", chunks(v)
	case []int16:
		descr, write = "<i2", chunks(v)
	case []int32:
		descr, write = "<i4", chunks(v)
	case []int64:
		descr, write = "<i8", chunks(v)
	case []uint8:
		descr, write = "|u1", chunks(v)
	case []uint16:
		descr, write = "<u2", chunks(v)
	case []uint32:
		descr, write = "<u4", chunks(v)
	case []uint64:
		descr, write = "<u8", chunks(v)
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
	header := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeRepr + ", }"
	if len(shape) > 0 {
		header += strings.Repeat(" ", 21-len(dims[0]))
	}
	pad := 64 - (len(magic)+2+2+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	if len(header) > math.MaxUint16 {
		return fmt.Errorf("npy: header of %d bytes", len(header))
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(magic)
	bw.Write([]byte{1, 0})
	binary.Write(bw, binary.LittleEndian, uint16(len(header)))
	bw.WriteString(header)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// chunks returns a function that writes values little-endian a few thousand at a time,
// so a large array is never copied whole.
func chunks[T any](values []T) func(*bufio.Writer) error {
	return func(w *bufio.Writer) error {
		const chunk = 4096
		for len(values) > 0 {
			n := min(chunk, len(values))
			if err := binary.Write(w, binary.LittleEndian, values[:n]); err != nil {
				return err
			}
			values = values[n:]
		}
		return nil
	}
}

// WriteFile writes values, of the given shape, to path as a .npy file (see Encode),
// atomically: a reader sees the old file or the whole new one.
func WriteFile[V Values](path string, values V, shape ...int) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, values, shape...) })
}

// WriteRows writes rows of equal length to path as a 2-D .npy file (see WriteFile);
// ragged rows are an error naming the first that differs.
func WriteRows[T float32 | float64](path string, rows [][]T) error {
	cols := 0
	if len(rows) > 0 {
		cols = len(rows[0])
	}
	flat := make([]T, 0, len(rows)*cols)
	for i, r := range rows {
		if len(r) != cols {
			return fmt.Errorf("npy: write %s: row %d has %d values, row 0 has %d", path, i, len(r), cols)
		}
		flat = append(flat, r...)
	}
	switch f := any(flat).(type) {
	case []float32:
		return WriteFile(path, f, len(rows), cols)
	default:
		return WriteFile(path, f.([]float64), len(rows), cols)
	}
}
