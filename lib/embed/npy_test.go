package embed_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

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
