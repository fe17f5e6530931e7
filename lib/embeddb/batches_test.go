package embeddb

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// TestEachBatch: for every batch size, the batches put together (EachBatch,
// and EachKeyBatch for the keys alone) are
// Embeddings' windows, keys and vectors bit for bit and in the same order,
// batches are full but the last, windows of another model are left out, and an
// error from fn stops the pass.
func TestEachBatch(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"), Options{})
	defer db.Close()
	model := must[Model](t)(db.AddModel("m", nil, 6))
	other := must[Model](t)(db.AddModel("other", nil, 6))
	// Recordings of both models interleaved, so the model's window ids have gaps.
	for r, file := range []string{"b.wav", "a.wav", "c.wav", "d.wav"} {
		must[Recording](t)(db.AddRecording(Recording{File: file}, model, windowsOf(vectors(3+r, 6, uint64(r)))))
		must[Recording](t)(db.AddRecording(Recording{File: "x" + file}, other, windowsOf(vectors(2, 6, uint64(10+r)))))
	}
	want := must[*embed.Embeddings](t)(db.Embeddings(model))
	if want.Len() != 18 {
		t.Fatalf("%d windows, want 18", want.Len())
	}
	for _, tc := range []struct {
		n, batches int
	}{{1, 18}, {4, 5}, {6, 3}, {17, 2}, {18, 1}, {100, 1}, {0, 1}} {
		var keys []embed.Key
		var vecs [][]float32
		var sizes []int
		err := db.EachBatch(model, tc.n, func(k []embed.Key, v [][]float32) error {
			if len(k) != len(v) {
				t.Errorf("n %d: %d keys, %d vectors", tc.n, len(k), len(v))
			}
			sizes = append(sizes, len(k))
			keys = append(keys, k...)
			for _, x := range v {
				vecs = append(vecs, slices.Clone(x))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("n %d: %v", tc.n, err)
		}
		if len(sizes) != tc.batches {
			t.Errorf("n %d: batches of %v, want %d batches", tc.n, sizes, tc.batches)
		}
		for b, s := range sizes[:max(0, len(sizes)-1)] {
			if s != tc.n {
				t.Errorf("n %d: batch %d holds %d windows", tc.n, b, s)
			}
		}
		if !slices.Equal(keys, want.Keys) {
			t.Errorf("n %d: keys %v, want %v", tc.n, keys, want.Keys)
		}
		if !slices.EqualFunc(vecs, want.Vectors, slices.Equal) {
			t.Errorf("n %d: vectors differ from Embeddings'", tc.n)
		}
		// EachKeyBatch: the same keys in the same batches, without vectors.
		var keysOnly []embed.Key
		var keySizes []int
		if err := db.EachKeyBatch(model, tc.n, func(k []embed.Key) error {
			keySizes = append(keySizes, len(k))
			keysOnly = append(keysOnly, k...)
			return nil
		}); err != nil {
			t.Fatalf("EachKeyBatch n %d: %v", tc.n, err)
		}
		if !slices.Equal(keysOnly, want.Keys) || !slices.Equal(keySizes, sizes) {
			t.Errorf("EachKeyBatch n %d: batches of %v, keys %v; EachBatch: %v, %v", tc.n, keySizes, keysOnly, sizes, want.Keys)
		}
	}
	if err := db.EachKeyBatch(model, 5, func([]embed.Key) error { return errors.New("stop keys") }); err == nil || err.Error() != "stop keys" {
		t.Errorf("EachKeyBatch with fn failing: error %v, want stop keys", err)
	}
	stop := errors.New("stop")
	calls := 0
	err := db.EachBatch(model, 5, func([]embed.Key, [][]float32) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("fn failing: error %v after %d calls, want stop after 1", err, calls)
	}
	empty := must[Model](t)(db.AddModel("empty", nil, 6))
	if err := db.EachBatch(empty, 5, func([]embed.Key, [][]float32) error { calls++; return nil }); err != nil || calls != 1 {
		t.Errorf("a model without windows: error %v, %d calls of fn, want none", err, calls-1)
	}
}
