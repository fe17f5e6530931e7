package main

// A tiny NumPy .npy reader and writer (format version 1.0, C order, little
// endian), enough for the benchmark's matrices and label vectors. lib/embed
// exports embeddings as .npy too; when both are on main, this one should give
// way to that one.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// writeNPY writes data with the given shape; descr is "<f4" or "<i8".
func writeNPY(path, descr string, shape []int, data any) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	shapeText := strings.Join(dims, ", ")
	if len(shape) == 1 {
		shapeText += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shapeText)
	// Pad with spaces so magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
	pad := 64 - (10+len(header)+1)%64
	header += strings.Repeat(" ", pad%64) + "\n"
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString("\x93NUMPY\x01\x00")
		binary.Write(bw, binary.LittleEndian, uint16(len(header)))
		bw.WriteString(header)
		if err := binary.Write(bw, binary.LittleEndian, data); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// writeMatrix writes rows as a float32 [rows, cols] array.
func writeMatrix(path string, rows [][]float32) error {
	flat := make([]float32, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return writeNPY(path, "<f4", []int{len(rows), len(rows[0])}, flat)
}

// writeLabels writes class indices as an int64 vector.
func writeLabels(path string, labels []int) error {
	v := make([]int64, len(labels))
	for i, l := range labels {
		v[i] = int64(l)
	}
	return writeNPY(path, "<i8", []int{len(v)}, v)
}

var (
	descrRE = regexp.MustCompile(`'descr':\s*'([^']+)'`)
	shapeRE = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
	orderRE = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
)

// readNPY reads a little-endian C-order array of float32/float64/int32/int64
// as float64 values with its shape.
func readNPY(path string) ([]float64, []int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if len(raw) < 10 || string(raw[:6]) != "\x93NUMPY" {
		return nil, nil, fmt.Errorf("%s: not a .npy file", path)
	}
	var headerLen, start int
	switch raw[6] {
	case 1:
		headerLen, start = int(binary.LittleEndian.Uint16(raw[8:10])), 10
	case 2, 3:
		if len(raw) < 12 {
			return nil, nil, fmt.Errorf("%s: truncated header", path)
		}
		headerLen, start = int(binary.LittleEndian.Uint32(raw[8:12])), 12
	default:
		return nil, nil, fmt.Errorf("%s: .npy version %d unsupported", path, raw[6])
	}
	if len(raw) < start+headerLen {
		return nil, nil, fmt.Errorf("%s: truncated header", path)
	}
	header := string(raw[start : start+headerLen])
	body := raw[start+headerLen:]
	d, s, o := descrRE.FindStringSubmatch(header), shapeRE.FindStringSubmatch(header), orderRE.FindStringSubmatch(header)
	if d == nil || s == nil || o == nil {
		return nil, nil, fmt.Errorf("%s: unreadable header %q", path, header)
	}
	if o[1] == "True" {
		return nil, nil, fmt.Errorf("%s: Fortran order unsupported (save with np.ascontiguousarray)", path)
	}
	var shape []int
	count := 1
	for _, f := range strings.Split(s[1], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: shape %q: %w", path, s[1], err)
		}
		shape = append(shape, n)
		count *= n
	}
	size := map[string]int{"<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8, "|u1": 1, "|i1": 1}[d[1]]
	if size == 0 {
		return nil, nil, fmt.Errorf("%s: dtype %s unsupported (want <f4, <f8, <i4, <i8)", path, d[1])
	}
	if len(body) != count*size {
		return nil, nil, fmt.Errorf("%s: %d data bytes for shape %v of %s", path, len(body), shape, d[1])
	}
	out := make([]float64, count)
	r := bytes.NewReader(body)
	for i := range out {
		switch d[1] {
		case "<f4":
			var v uint32
			binary.Read(r, binary.LittleEndian, &v)
			out[i] = float64(math.Float32frombits(v))
		case "<f8":
			var v uint64
			binary.Read(r, binary.LittleEndian, &v)
			out[i] = math.Float64frombits(v)
		case "<i4":
			var v int32
			binary.Read(r, binary.LittleEndian, &v)
			out[i] = float64(v)
		case "<i8":
			var v int64
			binary.Read(r, binary.LittleEndian, &v)
			out[i] = float64(v)
		default:
			b, _ := r.ReadByte()
			out[i] = float64(int8(b))
			if d[1] == "|u1" {
				out[i] = float64(b)
			}
		}
	}
	return out, shape, nil
}
