package agile

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// TestTrainingSetOfKeys: on an archive of keys only (OpenKeys), for every
// batch size, TrainingSet draws the weak negatives Open's archive draws (the
// draw is over keys, seeded) and reads their vectors, bit for bit those the
// database holds (db.Embeddings, read at once); other seeds draw otherwise,
// and windows added after OpenKeys change nothing.
func TestTrainingSetOfKeys(t *testing.T) {
	for _, reverse := range []bool{false, true} {
		ref, _ := testArchiveOrder(t, reverse)
		n := ref.Len()
		key := func(i int) string { k := ref.Windows.Keys[i]; return fmt.Sprintf("%s@%g", k.File, k.StartSeconds) }
		pos, _ := ref.Find("rec00.wav", 3)
		pos2, _ := ref.Find("rec01.wav", 12)
		neg, _ := ref.Find("rec05.wav", 6)
		for _, c := range []struct {
			l    Labelled
			weak int
			seed uint64
		}{
			{Labelled{Positives: []int{pos}, Negatives: []int{neg}}, 10, 5},
			{Labelled{Positives: []int{pos2, pos}}, 3, 1},
			{Labelled{Positives: []int{pos}}, n, 2}, // more weak negatives than unlabelled windows
			{Labelled{Positives: []int{pos2}, Negatives: []int{neg}}, 0, 9},
		} {
			wantX, wantY, wantIdx, err := ref.TrainingSet(c.l, c.weak, c.seed)
			if err != nil {
				t.Fatal(err)
			}
			var wantKeys []string
			for j, i := range wantIdx {
				wantKeys = append(wantKeys, key(i))
				if !slices.Equal(wantX[j], ref.Windows.Vectors[i]) {
					t.Fatalf("Open's TrainingSet: row %d is not window %d's vector", j, i)
				}
			}
			if want := len(c.l.Positives) + len(c.l.Negatives) + min(c.weak, n-len(c.l.Positives)-len(c.l.Negatives)); len(wantIdx) != want {
				t.Fatalf("%+v: %d rows, want %d", c, len(wantIdx), want)
			}
			for _, batch := range []int{1, 2, 7, n - 1, n, 1000, 0} {
				a, err := OpenKeys(ref.DB, ref.Model, batch)
				if err != nil {
					t.Fatal(err)
				}
				if a.Windows.Vectors != nil || !slices.Equal(a.Windows.Keys, ref.Windows.Keys) {
					t.Fatalf("batch %d: OpenKeys' keys differ from Open's, or it holds vectors", batch)
				}
				x, y, idx, err := a.TrainingSet(c.l, c.weak, c.seed)
				if err != nil {
					t.Fatal(err)
				}
				var keys []string
				for _, i := range idx {
					keys = append(keys, key(i))
				}
				if !slices.Equal(keys, wantKeys) || !slices.Equal(y, wantY) || len(x) != len(wantX) {
					t.Fatalf("reverse %v, %+v, batch %d: rows %v classes %v; want %v %v", reverse, c, batch, keys, y, wantKeys, wantY)
				}
				for j := range x {
					if !slices.EqualFunc(x[j], wantX[j], func(p, q float32) bool { return math.Float32bits(p) == math.Float32bits(q) }) {
						t.Fatalf("batch %d: row %d (window %s) differs from the database's vector", batch, j, keys[j])
					}
				}
			}
			if c.weak > 0 && c.weak < n/2 {
				_, _, other, err := ref.TrainingSet(c.l, c.weak, c.seed+100)
				if err != nil {
					t.Fatal(err)
				}
				if slices.Equal(other, wantIdx) {
					t.Errorf("%+v: seed %d draws the weak negatives seed %d does", c, c.seed+100, c.seed)
				}
			}
		}
		// Windows added after OpenKeys come after its own: its rows stay the same.
		a, err := OpenKeys(ref.DB, ref.Model, 4)
		if err != nil {
			t.Fatal(err)
		}
		extra := make([]embeddb.Window, 3)
		for w := range extra {
			v := make([]float32, 16)
			v[0], v[1] = 1, float32(w)
			extra[w] = embeddb.Window{StartSeconds: float64(3 * w), EndSeconds: float64(3*w + 3), Embedding: v}
		}
		if _, err := ref.DB.AddRecording(embeddb.Recording{File: "later.wav"}, ref.Model, extra); err != nil {
			t.Fatal(err)
		}
		l := Labelled{Positives: []int{pos}, Negatives: []int{neg}}
		wantX, _, wantIdx, _ := ref.TrainingSet(l, 8, 3)
		x, _, idx, err := a.TrainingSet(l, 8, 3)
		if err != nil || !slices.Equal(idx, wantIdx) || !slices.EqualFunc(x, wantX, slices.Equal[[]float32]) {
			t.Errorf("after a recording was added: rows %v (%v), want %v", idx, err, wantIdx)
		}
	}
}
