package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sameGraph reports whether two indexes hold the same vectors, layers, links
// and entry point.
func sameGraph(x, y *HNSW) bool {
	if x.n != y.n || x.dim != y.dim || x.entry != y.entry || x.entryLevel != y.entryLevel ||
		!slices.Equal(x.levels, y.levels) || !slices.Equal(x.unit, y.unit) {
		return false
	}
	for i := range x.links {
		for l := range x.links[i] {
			if !slices.Equal(x.links[i][l], y.links[i][l]) {
				return false
			}
		}
	}
	return true
}

// exactTop returns the k best rows of vectors for each query by float64 brute
// force, the independent reference for recall.
func exactTop(vectors, queries [][]float32, k int) [][]Hit {
	out := make([][]Hit, len(queries))
	for i, q := range queries {
		truth := bruteForce(vectors, q)
		idx := make([]int, len(truth))
		for j := range idx {
			idx[j] = j
		}
		slices.SortFunc(idx, func(a, b int) int { return -cmpF(truth[a], truth[b]) })
		for _, j := range idx[:k] {
			out[i] = append(out[i], Hit{Index: j, Score: float32(truth[j])})
		}
	}
	return out
}

// batchEnds returns where the build's batches end when n nodes are inserted
// into an empty index (the schedule of HNSW.insert).
func batchEnds(n int) []int {
	var ends []int
	for start := 1; start < n; {
		start += min(max(1, start/32), 256, n-start)
		ends = append(ends, start)
	}
	return ends
}

// TestHNSWAddContinuesTheBuild: an index grown by Adds that end where the
// build's own batches end is the very graph a single build makes, whatever
// the number of workers: Add continues the layer draws and the batch
// schedule.
func TestHNSWAddContinuesTheBuild(t *testing.T) {
	vectors := clustered(2500, 16, 10, 0.5, 21)
	fresh := MustNewHNSW(vectors, HNSWOptions{Seed: 9, Workers: 3})
	ends := batchEnds(len(vectors))
	cuts := []int{1, ends[3], ends[40], ends[len(ends)/2], len(vectors)}
	grown := MustNewHNSW(vectors[:cuts[0]], HNSWOptions{Seed: 9, Workers: 1})
	for c := 1; c < len(cuts); c++ {
		if err := grown.Add(vectors[cuts[c-1]:cuts[c]]); err != nil {
			t.Fatal(err)
		}
	}
	if !sameGraph(fresh, grown) {
		t.Error("an index grown at the build's batch boundaries differs from a single build")
	}
}

// TestHNSWAddRecall: an index built in several uneven batches (and one saved,
// loaded and grown further) finds the exact 10 nearest neighbors as often as a
// fresh build of the same vectors, and at least 95% of them.
func TestHNSWAddRecall(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 3000
	}
	vectors := clustered(n, 64, 50, 0.6, 11)
	queries := clustered(200, 64, 50, 0.6, 12)
	exact := exactTop(vectors, queries, 10)
	recall := func(h *HNSW) float64 {
		t.Helper()
		if h.Len() != n {
			t.Fatalf("index holds %d vectors, want %d", h.Len(), n)
		}
		approx := must(h.SearchBatch(queries, 10))
		return must(Recall(approx, exact, 10))
	}
	o := HNSWOptions{Seed: 4}
	fresh := recall(MustNewHNSW(vectors, o))

	cuts := []int{0, 1, 7, n / 10, n/10 + 1, n / 2, n - 3, n}
	grown := MustNewHNSW(vectors[:cuts[1]], o)
	for c := 2; c < len(cuts); c++ {
		if err := grown.Add(vectors[cuts[c-1]:cuts[c]]); err != nil {
			t.Fatal(err)
		}
	}
	incremental := recall(grown)

	path := filepath.Join(t.TempDir(), "half.hnsw")
	if err := MustNewHNSW(vectors[:n/2], o).Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadHNSW(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := loaded.Add(vectors[n/2 : 3*n/4]); err != nil {
		t.Fatal(err)
	}
	if err := loaded.Add(vectors[3*n/4:]); err != nil {
		t.Fatal(err)
	}
	afterLoad := recall(loaded)

	t.Logf("recall@10 on %d × 64: fresh %.4f, %d batches %.4f, saved at n/2, loaded, grown %.4f",
		n, fresh, len(cuts)-1, incremental, afterLoad)
	for name, r := range map[string]float64{"fresh": fresh, "incremental": incremental, "loaded and grown": afterLoad} {
		if r < 0.95 {
			t.Errorf("%s: recall@10 = %.4f, want ≥ 0.95", name, r)
		}
		if r < fresh-0.01 {
			t.Errorf("%s: recall@10 = %.4f, more than 0.01 below the fresh build's %.4f", name, r, fresh)
		}
	}
}

// TestHNSWSaveLoad: a loaded index is the saved graph, answers every query
// bit for bit as the saved one (also after SetEfSearch), and grows by Add into
// the same graph as the saved one does.
func TestHNSWSaveLoad(t *testing.T) {
	vectors := clustered(3000, 24, 20, 0.5, 41)
	queries := clustered(50, 24, 20, 0.5, 42)
	saved := MustNewHNSW(vectors[:2000], HNSWOptions{M: 8, EfConstruction: 60, EfSearch: 40, Seed: 3})
	path := filepath.Join(t.TempDir(), "index.hnsw")
	if err := saved.Save(path); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	written, err := saved.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if written != info.Size() || written != int64(buf.Len()) {
		t.Errorf("WriteTo reported %d bytes, wrote %d; the file holds %d", written, buf.Len(), info.Size())
	}
	loaded, err := LoadHNSW(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameGraph(saved, loaded) {
		t.Fatal("the loaded graph differs from the saved one")
	}
	if lo, so := loaded.Options(), saved.Options(); lo.M != so.M || lo.EfConstruction != so.EfConstruction ||
		lo.EfSearch != so.EfSearch || lo.Seed != so.Seed {
		t.Errorf("options %+v, saved %+v", lo, so)
	}
	for _, ef := range []int{40, 7} {
		must(0, saved.SetEfSearch(ef))
		must(0, loaded.SetEfSearch(ef))
		a, b := must(saved.SearchBatch(queries, 10)), must(loaded.SearchBatch(queries, 10))
		for q := range a {
			if !slices.Equal(a[q], b[q]) {
				t.Fatalf("ef %d query %d: saved %v, loaded %v", ef, q, a[q], b[q])
			}
		}
	}
	must(0, saved.Add(vectors[2000:]))
	must(0, loaded.Add(vectors[2000:]))
	if !sameGraph(saved, loaded) {
		t.Error("after the same Add, the loaded index differs from the saved one")
	}
	// Reading from a stream leaves what follows the index unread.
	stream := append(buf.Bytes(), "after"...)
	r := bytes.NewReader(stream)
	if _, err := ReadHNSW(r); err != nil {
		t.Fatal(err)
	}
	if rest := r.Len(); rest != len("after") {
		t.Errorf("ReadHNSW left %d bytes, want %d", rest, len("after"))
	}
}

// TestHNSWLoadDamaged: a damaged file gives an error that names the file and
// wraps ErrCorruptIndex; another version names both versions.
func TestHNSWLoadDamaged(t *testing.T) {
	var buf bytes.Buffer
	must(MustNewHNSW(clustered(300, 8, 5, 0.5, 51), HNSWOptions{Seed: 1}).WriteTo(&buf))
	good := buf.Bytes()
	flip := func(at int) []byte {
		b := slices.Clone(good)
		b[at] ^= 0x10
		return b
	}
	version := slices.Clone(good)
	binary.LittleEndian.PutUint32(version[8:], 7)
	cases := []struct {
		name    string
		data    []byte
		want    string
		corrupt bool
	}{
		{"empty", nil, "truncated", true},
		{"magic", flip(2), "bad magic", true},
		{"version", version, "format version 7; this program reads version 1", false},
		{"vector bit", flip(hnswHeaderSize + 100), "digest does not match", true},
		{"link bit", flip(len(good) - 40), "", true},
		{"digest bit", flip(len(good) - 1), "digest does not match", true},
		{"truncated", good[:len(good)-10], "truncated", true},
		{"half", good[:len(good)/2], "truncated", true},
		{"trailing", append(slices.Clone(good), 0), "data after the digest", true},
		{"dimension", func() []byte {
			b := slices.Clone(good)
			binary.LittleEndian.PutUint32(b[12:], 0)
			return b
		}(), "dimension 0", true},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".hnsw")
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadHNSW(path)
		if err == nil {
			t.Errorf("%s: loaded without error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want one naming %s and saying %q", c.name, err, path, c.want)
		}
		if errors.Is(err, ErrCorruptIndex) != c.corrupt {
			t.Errorf("%s: errors.Is(err, ErrCorruptIndex) = %v, want %v", c.name, !c.corrupt, c.corrupt)
		}
	}
	if _, err := LoadHNSW(filepath.Join(dir, "missing.hnsw")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v, want one wrapping os.ErrNotExist", err)
	}
}

// TestHNSWAddBadInput: Add refuses vectors of another dimension, zero or NaN
// vectors, and leaves the index as it was.
func TestHNSWAddBadInput(t *testing.T) {
	h := MustNewHNSW([][]float32{{1, 0}, {0, 1}, {1, 1}}, HNSWOptions{Seed: 1})
	for _, c := range []struct {
		vectors [][]float32
		want    string
	}{
		{[][]float32{{1, 0, 0}}, "dimension 3, the index holds vectors of dimension 2"},
		{[][]float32{{1, 1}, {0, 0}}, "vector 1: zero vector"},
	} {
		if err := h.Add(c.vectors); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Add(%v): error %v, want one containing %q", c.vectors, err, c.want)
		}
	}
	if h.Len() != 3 {
		t.Errorf("after failed Adds the index holds %d vectors, want 3", h.Len())
	}
	if err := h.Add(nil); err != nil || h.Len() != 3 {
		t.Errorf("Add(nil): %v, Len %d", err, h.Len())
	}
}

// FuzzReadHNSW: whatever the bytes, reading returns an error or an index that
// searches and grows without panicking. The digest check is skipped so that
// mutated bodies reach the structural checks.
func FuzzReadHNSW(f *testing.F) {
	for _, n := range []int{1, 2, 40} {
		var buf bytes.Buffer
		must(MustNewHNSW(clustered(n, 3, 2, 0.5, uint64(n)), HNSWOptions{M: 2, EfConstruction: 4, Seed: 1}).WriteTo(&buf))
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := readHNSW(bytes.NewReader(data), false)
		if err != nil {
			return
		}
		q := make([]float32, h.Dim())
		for i := range q {
			q[i] = float32(i%3) - 0.5
		}
		if _, err := h.Search(q, min(3, h.Len())); err != nil {
			t.Fatalf("search of a loaded index: %v", err)
		}
		if h.Dim() <= 64 {
			if err := h.Add([][]float32{q}); err != nil {
				t.Fatalf("Add to a loaded index: %v", err)
			}
		}
	})
}
