package embed_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// The fixtures are written by numpy.save (testdata/make_npy_fixtures.py).
func TestNPYAgainstNumpy(t *testing.T) {
	f4 := make([]float32, 12)
	for i := range f4 {
		f4[i] = float32((float64(i) - 5.5) / 7)
	}
	for _, tc := range []struct {
		file   string
		values []float32
		shape  []int
		same   bool // EncodeNPY writes the same bytes
	}{
		{"f4_3x4.npy", f4, []int{3, 4}, true},
		{"f4_0x5.npy", []float32{}, []int{0, 5}, true},
		{"f4_vec.npy", []float32{1, -2, 0.5, 1e-30, 3e38}, []int{5}, true},
		{"f8_2x3.npy", []float32{0, float32(1.0 / 3), float32(2.0 / 3), 1, float32(4.0 / 3), float32(5.0 / 3)}, []int{2, 3}, false},
		{"be_f4_2x2.npy", []float32{1, 2, 3, 4}, []int{2, 2}, false},
	} {
		path := filepath.Join("testdata", tc.file)
		values, shape, err := embed.ReadNPY(path)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if fmt.Sprint(shape) != fmt.Sprint(tc.shape) || len(values) != len(tc.values) {
			t.Fatalf("%s: shape %v with %d values, want %v", tc.file, shape, len(values), tc.shape)
		}
		for i := range values {
			if math.Float32bits(values[i]) != math.Float32bits(tc.values[i]) {
				t.Errorf("%s: value %d = %v, want %v", tc.file, i, values[i], tc.values[i])
			}
		}
		if !tc.same {
			continue
		}
		var buf bytes.Buffer
		if err := embed.EncodeNPY(&buf, tc.values, tc.shape...); err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(path)
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: EncodeNPY wrote\n%q\nnumpy.save wrote\n%q", tc.file, buf.Bytes(), want)
		}
	}
	for file, wantErr := range map[string]string{"fortran.npy": "Fortran", "i4_2x2.npy": "'<i4' not supported"} {
		if _, _, err := embed.ReadNPY(filepath.Join("testdata", file)); err == nil || !strings.Contains(err.Error(), wantErr) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", file, err, wantErr)
		}
	}
}

func TestSaveRead(t *testing.T) {
	e := &embed.Embeddings{
		Keys:    []embed.Key{{"a, with comma.wav", 0, 3}, {"b.wav", 1.5, 4.5}},
		Vectors: [][]float32{{1, 2, 3}, {-4, 5.25, float32(math.Pi)}},
	}
	prefix := filepath.Join(t.TempDir(), "emb")
	if err := e.Save(prefix); err != nil {
		t.Fatal(err)
	}
	csv, _ := os.ReadFile(prefix + ".csv")
	if want := "file,start_time,end_time\n\"a, with comma.wav\",0,3\nb.wav,1.5,4.5\n"; string(csv) != want {
		t.Errorf("keys CSV\n%s\nwant\n%s", csv, want)
	}
	back, err := embed.Read(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back.Keys, back.Vectors) != fmt.Sprint(e.Keys, e.Vectors) {
		t.Errorf("read back %v %v", back.Keys, back.Vectors)
	}
	// Mismatched files are refused with a clear error.
	os.WriteFile(prefix+".csv", []byte("file,start_time,end_time\nb.wav,0,3\n"), 0o644)
	if _, err := embed.Read(prefix); err == nil || !strings.Contains(err.Error(), "1 keys for the 2 rows") {
		t.Errorf("mismatch: error %v", err)
	}
	os.WriteFile(prefix+".csv", []byte("path,begin,end\n"), 0o644)
	if _, err := embed.Read(prefix); err == nil || !strings.Contains(err.Error(), "file,start_time,end_time") {
		t.Errorf("bad header: error %v", err)
	}
}

func TestDecodeNPYErrors(t *testing.T) {
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
		{"bad shape", header("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }\n"), "bad dimension"},
		{"short data", append(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n"), 1, 2, 3), "needs more than the 3 bytes"},
		{"long data", append(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }\n"), 1, 2, 3, 4, 5), "needs 4 bytes of data, have 5"},
		{"huge shape", header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n"), "needs more than"},
	} {
		if _, _, err := embed.DecodeNPY(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

func FuzzDecodeNPY(f *testing.F) {
	for _, file := range []string{"f4_3x4.npy", "f4_0x5.npy", "f4_vec.npy", "f8_2x3.npy", "be_f4_2x2.npy", "fortran.npy", "i4_2x2.npy"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		values, shape, err := embed.DecodeNPY(data)
		if err != nil {
			return
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		if n != len(values) {
			t.Fatalf("shape %v but %d values", shape, len(values))
		}
		// What decodes as float32 C-order re-encodes and decodes to the same.
		var buf bytes.Buffer
		if err := embed.EncodeNPY(&buf, values, shape...); err != nil {
			t.Fatal(err)
		}
		again, shape2, err := embed.DecodeNPY(buf.Bytes())
		if err != nil || fmt.Sprint(shape2) != fmt.Sprint(shape) || len(again) != len(values) {
			t.Fatalf("round trip: %v, shape %v", err, shape2)
		}
	})
}
