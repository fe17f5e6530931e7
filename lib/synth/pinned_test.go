package synth

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The digests below were computed on main at commit 129873b, before the harder
// corpus (hard.go and its neighbours) was added to this package, on amd64. They
// pin the course's corpora and the recordings birds-v1 was pretrained on: if one
// fails, a change altered what existing seeds generate (a new random draw taken
// from an old stream, a changed constant), and datasets/synth-birds,
// datasets/synth-transfer, lesson 05's long recordings and birds-v1's training
// data would silently change with it.

// dirDigest returns the SHA-256 over every file under dir: sorted relative
// paths, each followed by its own SHA-256.
func dirDigest(t *testing.T, dir string) (all string, files map[string]string) {
	t.Helper()
	files = map[string]string{}
	var names []string
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		sum := sha256.Sum256(data)
		files[rel] = hex.EncodeToString(sum[:])
		names = append(names, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n + "\x00" + files[n] + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil)), files
}

// samplesDigest is the SHA-256 of the samples' float32 bits, little-endian.
func samplesDigest(x []float32) string {
	h := sha256.New()
	var b [4]byte
	for _, v := range x {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestPinnedSynthBirds: datasets/synth-birds (seed 1, every default) is the
// same, file for file, as on main before the harder corpus.
func TestPinnedSynthBirds(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the whole of synth-birds; WriteCorpus's parallel writers run under -short (the race detector's run) in TestWriteCorpusDeterministic")
	}
	dir := t.TempDir()
	if _, err := WriteCorpus(dir, CorpusOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	all, files := dirDigest(t, dir)
	const want = "9a04001881e8bd32ce838845187d3e7770b5bec953535d04f4f919320ab4fe0d"
	if all != want {
		t.Errorf("synth-birds digest %s, want %s", all, want)
		for _, f := range []string{"labels.csv", "metadata.csv", "DATASHEET.md", "audio/r0000_cutaites_foaris_i0.wav"} {
			t.Logf("%s %s", f, files[f])
		}
	}
}

// synthTransferOptions are datasets/synth-transfer's (its make command).
var synthTransferOptions = CorpusOptions{Seed: 1, CorpusFamilies: 10, CorpusSpeciesPerFamily: 2, RecordingsPerSpecies: 80, IndividualsPerSpecies: 4}

// TestPinnedSynthTransferFiles: four recordings of datasets/synth-transfer,
// written one by one, are the same bytes as on main.
func TestPinnedSynthTransferFiles(t *testing.T) {
	c, err := newCorpus(synthTransferOptions)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "audio"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "selections"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		index      int
		file, want string
	}{
		{0, "audio/r0000_cutaites_foaris_i0.wav", "2001398008c71dea9a98d6394f8ac3e3faa6e52d039cb0e94a7a96a19d87e9b3"},
		{123, "audio/r0123_cutaites_tufoens_i3.wav", "e9673f83406bc1895443bc4404c2a8b41524279e8dc9ab36b780636df6e5560d"},
		{801, "audio/r0801_daphaus_sasuica_i1.wav", "84c1e8c090d4ffe71c0bae38b25914a7b0e7949f96e604bff6f4a65cda979f05"},
		{1599, "audio/r1599_thaetraornis_cuina_i3.wav", "cd9f07c5ff91cb702c8e198e412c912bb8cfe4927d2b38be9bc995a8eb0f5add"},
	} {
		r, err := c.writeRecording(dir, tc.index)
		if err != nil {
			t.Fatal(err)
		}
		if r.File != tc.file {
			t.Errorf("recording %d is %s, want %s", tc.index, r.File, tc.file)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, r.File))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != tc.want {
			t.Errorf("%s: digest %x, want %s", r.File, sum, tc.want)
		}
	}
}

// TestPinnedSynthTransfer: the whole of datasets/synth-transfer is the same,
// file for file, as on main (labels.csv 246662185af1…, metadata.csv
// 22cd9173bce5…).
func TestPinnedSynthTransfer(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1600 recordings (214 MB, about 40 s on 2 busy cores)")
	}
	dir := t.TempDir()
	if _, err := WriteCorpus(dir, synthTransferOptions); err != nil {
		t.Fatal(err)
	}
	all, files := dirDigest(t, dir)
	const want = "627a66d64b02b4306288fc7fc8fffb5e6dfe25228ad7169ffaa7c8c9d9a9cecd"
	if all != want {
		t.Errorf("synth-transfer digest %s, want %s (labels.csv %s, metadata.csv %s)", all, want, files["labels.csv"], files["metadata.csv"])
	}
}

// TestPinnedRecord: Catalogue.Record, as lib/cmd/pretrain and lib/zoo's tests
// call it, gives the same samples as on main.
func TestPinnedRecord(t *testing.T) {
	cat, err := NewCatalogue(1, 40, 8)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seed uint64
		o    RecordingOptions
		want string
	}{
		{7<<32 ^ 5, RecordingOptions{DurationSeconds: 3, SampleRateHz: 22050, Foreground: []Voice{{Species: 3, Individual: 7}},
			SNRdB: 4.5, Noise: []NoiseKind{Wind, Rain}, Distant: []Voice{{Species: 12, Individual: 2}, {Species: 44, Individual: 9}}}, "182fb562c5d3b2078715f9910386537a6e36ecf98ac79e982d4392ea416fc32b"},
		{99, RecordingOptions{DurationSeconds: 5, SampleRateHz: 32000, Foreground: []Voice{{Species: 0, Individual: 1}, {Species: 9, Individual: 0}},
			SNRdB: -3, Noise: []NoiseKind{Pink, Brown}, MaxSongs: 2}, "c00e8e3a68673dc2e5bd3b02ac5656401d6d77b01ebe1697c14f838bd1e04619"},
	} {
		rec, err := cat.Record(tc.seed, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := samplesDigest(rec.Samples); got != tc.want {
			t.Errorf("Record(%d, …) digest %s, want %s", tc.seed, got, tc.want)
		}
	}
}

// TestPinnedLongMultiLabel: a multi-label corpus of long, noisy recordings
// (the options of lesson 05's long recordings, fewer of them, two species per
// recording at most) is the same as on main.
func TestPinnedLongMultiLabel(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteCorpus(dir, CorpusOptions{Seed: 1, CorpusFamilies: 2, CorpusSpeciesPerFamily: 2, IndividualsPerSpecies: 3,
		RecordingsPerSpecies: 2, DurationSeconds: 12, SNRMinDB: -15, SNRMaxDB: 0, MaxSpeciesPerRecording: 2}); err != nil {
		t.Fatal(err)
	}
	all, _ := dirDigest(t, dir)
	const want = "3f0c4b45528762c018dde9d85f3e9df731d99f0c3938880c9634227a77d1e530"
	if all != want {
		t.Errorf("long multi-label corpus digest %s, want %s", all, want)
	}
}

// TestPinnedHardCorpora: three recordings of each hard corpus (the first, one
// inside and the last) are, byte for byte, the files of datasets/synth-hard
// and synth-hard-dev that datasets/README.md's numbers were measured on
// (generated by `make synth-hard` at 8f4a7e9's generator, first committed as efb231d; labels.csv 104c803a…/2ff70363…,
// metadata.csv e19d09b6…/b4f1809e…). Each recording depends only on its
// index, so three stand for the draws and the render chain of all. With
// -short (the race detector's run; writeRecording is one goroutine, so the
// detector gains nothing from more of them) only the one inside is written.
func TestPinnedHardCorpora(t *testing.T) {
	indices := []int{0, 1111, 2399}
	if testing.Short() {
		indices = []int{1111}
	}
	for _, tc := range []struct {
		opts HardCorpusOptions
		want map[int]string
	}{
		{HardCorpusOptions{ClipsOptions: ClipsOptions{Seed: 1, Pool: PoolTest}}, map[int]string{
			0:    "784d87f4b5a5f2f57583b4f9d918505aed48a7177a5dac608efab2131b6c570c",
			1111: "3088ec595b43412f3e8cf9aaa19b10a93b5edf38a7e55a1c68c6bb2d730c968a",
			2399: "59f912955e9efc8e2292f05fd5158d2358b29ae8a1f1a461888500ae9d67cc8b",
		}},
		{HardCorpusOptions{ClipsOptions: ClipsOptions{Seed: 2, Pool: PoolDev}}, map[int]string{
			0:    "dbeffd22ee54125f3fdb45164c9ce788856b48a7d6d4280a58a5d8ec9e6ce8f9",
			1111: "c6056294c84b52fe51e44561c8d16b49a86190dd6f109b568b91c274525fca31",
			2399: "14afe8edfbc5cfb78df4eaad7ff2e483568bd7831e5b25f447468a7f511ee9bf",
		}},
	} {
		c, err := newHardCorpus(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, sub := range []string{"audio", "selections"} {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, i := range indices {
			r, err := c.writeRecording(dir, i)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.File)))
			if err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != tc.want[i] {
				t.Errorf("pool %s seed %d, %s: digest %x, want %s", tc.opts.Pool, tc.opts.Seed, r.File, sum, tc.want[i])
			}
		}
	}
}
