package main

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

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// A minimal NumPy .npy reader and writer for 2-D little-endian float arrays in C order,
// all this benchmark exchanges with Python. (lib/embed has the library's own.)

var npyHeader = regexp.MustCompile(`'descr':\s*'([<|]f[48])'.*'fortran_order':\s*(False|True).*'shape':\s*\((\d+),\s*(\d+)\s*,?\)`)

// readNPY reads a 2-D float32 or float64 array as rows of float64.
func readNPY(path string) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil || string(pre[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("%s: not a .npy file", path)
	}
	var hlen int
	switch pre[6] {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(pre[8:10]))
	case 2, 3:
		var more [2]byte
		if _, err := io.ReadFull(r, more[:]); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		hlen = int(binary.LittleEndian.Uint32(append(pre[8:10:10], more[:]...)))
	default:
		return nil, fmt.Errorf("%s: .npy version %d not supported", path, pre[6])
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	m := npyHeader.FindSubmatch(header)
	if m == nil {
		return nil, fmt.Errorf("%s: want a 2-D little-endian float32 or float64 array, header %q", path, bytes.TrimSpace(header))
	}
	if string(m[2]) == "True" {
		return nil, fmt.Errorf("%s: Fortran-order arrays not supported", path)
	}
	rows, _ := strconv.Atoi(string(m[3]))
	cols, _ := strconv.Atoi(string(m[4]))
	size := 4
	if m[1][2] == '8' {
		size = 8
	}
	buf := make([]byte, rows*cols*size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("%s: data: %w", path, err)
	}
	out := make([][]float64, rows)
	for i := range out {
		out[i] = make([]float64, cols)
		for j := range out[i] {
			o := (i*cols + j) * size
			if size == 4 {
				out[i][j] = float64(math.Float32frombits(binary.LittleEndian.Uint32(buf[o:])))
			} else {
				out[i][j] = math.Float64frombits(binary.LittleEndian.Uint64(buf[o:]))
			}
		}
	}
	return out, nil
}

// writeNPY writes rows as a 2-D float32 (single) or float64 array, atomically.
func writeNPY(path string, rows [][]float64, single bool) error {
	cols := 0
	if len(rows) > 0 {
		cols = len(rows[0])
	}
	descr := "<f8"
	if single {
		descr = "<f4"
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, len(rows), cols)
	pad := 64 - (10+len(h)+1)%64
	h += string(bytes.Repeat([]byte{' '}, pad%64)) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	for _, r := range rows {
		if len(r) != cols {
			return fmt.Errorf("writing %s: ragged rows", path)
		}
		for _, v := range r {
			if single {
				binary.Write(&b, binary.LittleEndian, float32(v))
			} else {
				binary.Write(&b, binary.LittleEndian, v)
			}
		}
	}
	return atomicfile.WriteFile(path, b.Bytes())
}
