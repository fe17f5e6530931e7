package npy_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/npy"
)

// The fixtures are written by numpy.save (testdata/make_fixtures.py); want holds the
// values the script wrote, as float64 (every one is exact in float64).
func TestDecodeAgainstNumpy(t *testing.T) {
	f4 := make([]float64, 12)
	for i := range f4 {
		f4[i] = float64(float32((float64(i) - 5.5) / 7))
	}
	f8 := make([]float64, 8)
	for i := range f8 {
		f8[i] = float64(i) - 3.25
	}
	for _, tc := range []struct {
		file  string
		dtype string
		shape []int
		want  []float64
		ints  bool
	}{
		{"f4_3x4.npy", "<f4", []int{3, 4}, f4, false},
		{"f4_0x5.npy", "<f4", []int{0, 5}, []float64{}, false},
		{"f4_vec.npy", "<f4", []int{5}, []float64{1, -2, 0.5, float64(float32(1e-30)), float64(float32(3e38))}, false},
		{"f4_scalar.npy", "<f4", []int{}, []float64{2.5}, false},
		{"f8_2x3.npy", "<f8", []int{2, 3}, []float64{0, 1.0 / 3, 2.0 / 3, 1, 4.0 / 3, 5.0 / 3}, false},
		{"f8_2x2x2.npy", "<f8", []int{2, 2, 2}, f8, false},
		{"be_f4_2x2.npy", ">f4", []int{2, 2}, []float64{1, 2, 3, 4}, false},
		{"f4_2x3_v2.npy", "<f4", []int{2, 3}, []float64{0, 1, 2, 3, 4, 5}, false},
		{"be_i8_3.npy", ">i8", []int{3}, []float64{-1, 0, 1 << 40}, true},
		{"i1_4.npy", "|i1", []int{4}, []float64{-128, -1, 0, 127}, true},
		{"u1_4.npy", "|u1", []int{4}, []float64{0, 1, 200, 255}, true},
		{"i2_4.npy", "<i2", []int{4}, []float64{-32768, -1, 0, 32767}, true},
		{"u2_4.npy", "<u2", []int{4}, []float64{0, 1, 40000, 65535}, true},
		{"i4_2x2.npy", "<i4", []int{2, 2}, []float64{0, 1, 2, 3}, true},
		{"u4_3.npy", "<u4", []int{3}, []float64{0, 7, 4000000000}, true},
		{"i8_5.npy", "<i8", []int{5}, []float64{3, 0, 2, 1, -(1 << 53)}, true},
		{"u8_2.npy", "<u8", []int{2}, []float64{5, 1 << 53}, true},
	} {
		a, err := npy.Read(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if a.DType != tc.dtype || fmt.Sprint(a.Shape) != fmt.Sprint(tc.shape) || a.Len() != len(tc.want) {
			t.Fatalf("%s: dtype %s, shape %v, %d values; want %s, %v, %d", tc.file, a.DType, a.Shape, a.Len(), tc.dtype, tc.shape, len(tc.want))
		}
		got, err := a.Float64()
		if err != nil {
			t.Fatalf("%s: Float64: %v", tc.file, err)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: value %d = %v, want %v", tc.file, i, got[i], tc.want[i])
			}
		}
		// Float32: floats rounded; integers exact or refused (beyond ±2^24).
		got32, err := a.Float32()
		fits := true
		for _, v := range tc.want {
			fits = fits && (!tc.ints || math.Abs(v) <= 1<<24)
		}
		if !fits {
			if err == nil || !strings.Contains(err.Error(), "float32 cannot hold exactly") {
				t.Errorf("%s: Float32 error %v, want a refusal", tc.file, err)
			}
		} else if err != nil {
			t.Errorf("%s: Float32: %v", tc.file, err)
		} else {
			for i := range got32 {
				if got32[i] != float32(tc.want[i]) {
					t.Errorf("%s: Float32 value %d = %v, want %v", tc.file, i, got32[i], float32(tc.want[i]))
				}
			}
		}
		ints, err := a.Int64()
		if !tc.ints {
			if err == nil {
				t.Errorf("%s: Int64 of a float array gave no error", tc.file)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: Int64: %v", tc.file, err)
		}
		for i := range ints {
			if float64(ints[i]) != tc.want[i] {
				t.Errorf("%s: Int64 value %d = %d, want %v", tc.file, i, ints[i], tc.want[i])
			}
		}
	}
}

// Encode writes, for every dtype numpy.save wrote little-endian in format 1.0, the same
// bytes as numpy.save.
func TestEncodeAsNumpy(t *testing.T) {
	f4 := make([]float32, 12)
	for i := range f4 {
		f4[i] = float32((float64(i) - 5.5) / 7)
	}
	f8 := make([]float64, 8)
	for i := range f8 {
		f8[i] = float64(i) - 3.25
	}
	encode := func(values any, shape ...int) ([]byte, error) {
		var buf bytes.Buffer
		var err error
		switch v := values.(type) {
		case []float32:
			err = npy.Encode(&buf, v, shape...)
		case []float64:
			err = npy.Encode(&buf, v, shape...)
		case []int8:
			err = npy.Encode(&buf, v, shape...)
		case []uint8:
			err = npy.Encode(&buf, v, shape...)
		case []int16:
			err = npy.Encode(&buf, v, shape...)
		case []uint16:
			err = npy.Encode(&buf, v, shape...)
		case []int32:
			err = npy.Encode(&buf, v, shape...)
		case []uint32:
			err = npy.Encode(&buf, v, shape...)
		case []int64:
			err = npy.Encode(&buf, v, shape...)
		case []uint64:
			err = npy.Encode(&buf, v, shape...)
		}
		return buf.Bytes(), err
	}
	for _, tc := range []struct {
		file   string
		values any
		shape  []int
	}{
		{"f4_3x4.npy", f4, []int{3, 4}},
		{"f4_0x5.npy", []float32{}, []int{0, 5}},
		{"f4_vec.npy", []float32{1, -2, 0.5, 1e-30, 3e38}, []int{5}},
		{"f4_scalar.npy", []float32{2.5}, nil},
		{"f8_2x3.npy", []float64{0, 1.0 / 3, 2.0 / 3, 1, 4.0 / 3, 5.0 / 3}, []int{2, 3}},
		{"f8_2x2x2.npy", f8, []int{2, 2, 2}},
		{"i1_4.npy", []int8{-128, -1, 0, 127}, []int{4}},
		{"u1_4.npy", []uint8{0, 1, 200, 255}, []int{4}},
		{"i2_4.npy", []int16{-32768, -1, 0, 32767}, []int{4}},
		{"u2_4.npy", []uint16{0, 1, 40000, 65535}, []int{4}},
		{"i4_2x2.npy", []int32{0, 1, 2, 3}, []int{2, 2}},
		{"u4_3.npy", []uint32{0, 7, 4000000000}, []int{3}},
		{"i8_5.npy", []int64{3, 0, 2, 1, -(1 << 53)}, []int{5}},
		{"u8_2.npy", []uint64{5, 1 << 53}, []int{2}},
		{"i8_big.npy", []int64{1<<53 + 1}, []int{1}},
	} {
		got, err := encode(tc.values, tc.shape...)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Encode wrote\n%q\nnumpy.save wrote\n%q", tc.file, got, want)
		}
	}
	if _, err := encode([]float32{1, 2, 3}, 2, 2); err == nil || !strings.Contains(err.Error(), "holds 4 values, have 3") {
		t.Errorf("wrong shape: error %v", err)
	}
}

func TestRefused(t *testing.T) {
	for file, want := range map[string]string{
		"fortran.npy": "Fortran",
		"c8_2.npy":    "dtype '<c8' not supported",
	} {
		if _, err := npy.Read(filepath.Join("testdata", file)); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", file, err, want)
		}
	}
	// 2^53 + 1 is an int64 no float can hold; Int64 reads it exactly.
	a, err := npy.Read(filepath.Join("testdata", "i8_big.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Float64(); err == nil || !strings.Contains(err.Error(), "float64 cannot hold exactly") {
		t.Errorf("Float64 of 2^53+1: error %v", err)
	}
	if v, err := a.Int64(); err != nil || v[0] != 1<<53+1 {
		t.Errorf("Int64 of 2^53+1: %v, %v", v, err)
	}
	// A uint64 above MaxInt64 is refused by Int64.
	var buf bytes.Buffer
	if err := npy.Encode(&buf, []uint64{math.MaxUint64}, 1); err != nil {
		t.Fatal(err)
	}
	b, err := npy.Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Int64(); err == nil || !strings.Contains(err.Error(), "more than int64 holds") {
		t.Errorf("Int64 of MaxUint64: error %v", err)
	}
}

func TestRowsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rows.npy")
	rows := [][]float64{{1, 2.5, -3}, {4, 5, 1.0 / 3}}
	if err := npy.WriteRows(path, rows); err != nil {
		t.Fatal(err)
	}
	a, err := npy.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	back, err := a.Rows64()
	if err != nil || fmt.Sprint(back) != fmt.Sprint(rows) || a.DType != "<f8" {
		t.Fatalf("Rows64: %v %v (dtype %s), want %v", back, err, a.DType, rows)
	}
	back32, err := a.Rows32()
	if err != nil || back32[1][2] != float32(1.0/3) || len(back32) != 2 || len(back32[0]) != 3 {
		t.Fatalf("Rows32: %v %v", back32, err)
	}
	if err := npy.WriteRows(path, [][]float32{{1, 2}, {3}}); err == nil || !strings.Contains(err.Error(), "row 1 has 1 values, row 0 has 2") {
		t.Errorf("ragged rows: error %v", err)
	}
	v, err := npy.Read(filepath.Join("testdata", "f4_vec.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Rows64(); err == nil || !strings.Contains(err.Error(), "want (rows, columns)") {
		t.Errorf("Rows64 of a vector: error %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	header := func(h string) []byte {
		b := []byte("\x93NUMPY\x01\x00")
		b = append(b, byte(len(h)), byte(len(h)>>8))
		return append(b, h...)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a .npy"},
		{"version", []byte("\x93NUMPY\x09\x00\x00\x00"), "version 9.0"},
		{"header too long", []byte("\x93NUMPY\x01\x00\xff\x00{}"), "header of 255 bytes"},
		{"not a dict", header("[1, 2]\n"), "not a dict"},
		{"no descr", header("{'shape': (1,), 'fortran_order': False}\n"), "no descr"},
		{"odd dtype", header("{'descr': '<f3', 'fortran_order': False, 'shape': (1,), }\n"), "dtype '<f3' not supported"},
		{"bad order", header("{'descr': '!f4', 'fortran_order': False, 'shape': (1,), }\n"), "dtype '!f4' not supported"},
		{"bad shape", header("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }\n"), "bad dimension"},
		{"no fortran_order", header("{'descr': '<f4', 'shape': (1,), }\n"), "fortran_order"},
		{"short data", append(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n"), 1, 2, 3), "needs more than the 3 bytes"},
		{"long data", append(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }\n"), 1, 2, 3, 4, 5), "needs 4 bytes of data, have 5"},
		{"huge shape", header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n"), "needs more than"},
	} {
		if _, err := npy.Decode(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.npy"))
	if err != nil || len(files) < 10 {
		f.Fatalf("fixtures: %v, %v", files, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := npy.Decode(data)
		if err != nil {
			return
		}
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if n != a.Len() {
			t.Fatalf("shape %v but %d values", a.Shape, a.Len())
		}
		// What decodes re-encodes as float64 and decodes to the same values.
		values, err := a.Float64()
		if err != nil {
			return // an integer beyond ±2^53
		}
		var buf bytes.Buffer
		if err := npy.Encode(&buf, values, a.Shape...); err != nil {
			t.Fatal(err)
		}
		b, err := npy.Decode(buf.Bytes())
		if err != nil || fmt.Sprint(b.Shape) != fmt.Sprint(a.Shape) {
			t.Fatalf("round trip: %v, shape %v", err, b)
		}
		again, err := b.Float64()
		if err != nil || len(again) != len(values) {
			t.Fatalf("round trip: %v", err)
		}
		for i := range again {
			if math.Float64bits(again[i]) != math.Float64bits(values[i]) {
				t.Fatalf("value %d: %v, then %v", i, values[i], again[i])
			}
		}
	})
}
