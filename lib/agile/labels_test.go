package agile

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// labelledBruteForce is Labels as it was written first: every annotation
// against every window (the reference).
func labelledBruteForce(a *Archive, anns []embeddb.Annotation, keep func(string) bool) Labelled {
	latest := map[int]embeddb.LabelType{}
	var order []int
	for _, an := range anns {
		if keep != nil && !keep(an.Provenance) {
			continue
		}
		for i, k := range a.Windows.Keys {
			if k.File != an.File {
				continue
			}
			ov := min(k.EndSeconds, an.EndSeconds) - max(k.StartSeconds, an.StartSeconds)
			if ov <= 0 || (ov < 0.5*(an.EndSeconds-an.StartSeconds) && ov < 0.5*(k.EndSeconds-k.StartSeconds)) {
				continue
			}
			if _, seen := latest[i]; !seen {
				order = append(order, i)
			}
			latest[i] = an.Type
		}
	}
	var l Labelled
	for _, i := range order {
		switch latest[i] {
		case embeddb.Positive:
			l.Positives = append(l.Positives, i)
		case embeddb.Negative:
			l.Negatives = append(l.Negatives, i)
		}
	}
	return l
}

// randomArchive returns an archive of keys only (no database) of files
// recordings with random lengths (10–60 s), cut into windows of windowSeconds every
// hopSeconds (the last one shorter), the recordings interleaved in pool order
// as a worker pool may have stored them, and annotations of random spans
// (some in no recording, some of several windows, some within one), types
// and provenances.
func randomArchive(seed uint64, files int, windowSeconds, hopSeconds float64, annotations int) (*Archive, []embeddb.Annotation) {
	rng := rand.New(rand.NewPCG(seed, 9))
	var perFile [][]embed.Key
	for f := range files {
		length := 10 + rng.Float64()*50
		var ks []embed.Key
		for start := 0.0; start < length; start += hopSeconds {
			ks = append(ks, embed.Key{File: fmt.Sprintf("site%d/r%03d.wav", f%3, f), StartSeconds: start, EndSeconds: min(start+windowSeconds, length)})
		}
		perFile = append(perFile, ks)
	}
	w := &embed.Embeddings{}
	for len(perFile) > 0 { // a chunk of a random file at a time
		f := rng.IntN(len(perFile))
		n := min(len(perFile[f]), 1+rng.IntN(4))
		w.Keys = append(w.Keys, perFile[f][:n]...)
		if perFile[f] = perFile[f][n:]; len(perFile[f]) == 0 {
			perFile = append(perFile[:f], perFile[f+1:]...)
		}
	}
	a := newArchive(nil, embeddb.Model{}, w)
	types := []embeddb.LabelType{embeddb.Positive, embeddb.Negative, embeddb.Uncertain}
	anns := make([]embeddb.Annotation, annotations)
	for j := range anns {
		start := rng.Float64() * 62
		f := rng.IntN(files + 1) // files: a recording not in the archive
		anns[j] = embeddb.Annotation{ID: int64(j + 1), File: fmt.Sprintf("site%d/r%03d.wav", f%3, f),
			StartSeconds: start, EndSeconds: start + 0.05 + rng.Float64()*rng.Float64()*12,
			Type: types[rng.IntN(3)], Provenance: []string{"human:ana", "validation", "model"}[rng.IntN(3)]}
	}
	return a, anns
}

func TestLabelledEqualsBruteForce(t *testing.T) {
	notValidation := func(p string) bool { return p != "validation" }
	for _, c := range []struct {
		files       int
		window, hop float64
		annotations int
		keep        func(string) bool
	}{
		{5, 3, 3, 40, nil},
		{12, 3, 1, 200, nil},
		{30, 5, 2.5, 300, notValidation},
		{8, 1, 0.25, 150, nil},
		{1, 3, 3, 60, notValidation},
	} {
		for seed := range uint64(4) {
			a, anns := randomArchive(seed, c.files, c.window, c.hop, c.annotations)
			got, want := a.labelled(anns, c.keep), labelledBruteForce(a, anns, c.keep)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d files, windows %g s every %g s, %d annotations, seed %d: %v, brute force %v", c.files, c.window, c.hop, c.annotations, seed, got, want)
			}
			if len(want.Positives)+len(want.Negatives) == 0 {
				t.Errorf("seed %d: no window labelled: the case tests nothing", seed)
			}
		}
	}
}

// BenchmarkLabels compares Labels' indexed search with the brute force it
// replaced on an archive of 2,000 recordings (24,236 windows of 3 s) and
// 1,000 annotations.
func BenchmarkLabels(b *testing.B) {
	a, anns := randomArchive(1, 2000, 3, 3, 1000)
	b.Logf("%d windows, %d annotations", a.Len(), len(anns))
	b.Run("indexed", func(b *testing.B) {
		for range b.N {
			a.labelled(anns, nil)
		}
	})
	b.Run("bruteforce", func(b *testing.B) {
		for range b.N {
			labelledBruteForce(a, anns, nil)
		}
	})
}
