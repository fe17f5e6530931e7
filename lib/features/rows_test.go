package features

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestDescribeRows describes 1 s tones of known frequency: the F0 feature must
// be the tone's frequency; a re-run with one cache entry damaged recomputes it
// and reads the other back, with the same vectors; other options miss the
// cache; a bad row or a missing file is an error naming it.
func TestDescribeRows(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	const rate = 22050
	freqs := []float64{1500, 3000}
	csv := "file,start_time,end_time,low,high\n"
	for i, f := range freqs {
		samples := make([]float32, rate)
		for n := range samples {
			samples[n] = float32(0.5 * math.Sin(2*math.Pi*f*float64(n)/rate))
		}
		name := []string{"low.wav", "high.wav"}[i]
		if err := audio.WriteWAV(filepath.Join(dir, name), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		csv += name + ",0,1," + map[bool]string{true: "1,0", false: "0,1"}[i == 0] + "\n"
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader(csv), "tones")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{BandLowHz: 1000, BandHighHz: 10000}
	names, vectors, err := DescribeRows(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	f0 := -1
	for j, n := range names {
		if n == "f0_mean_hz" {
			f0 = j
		}
	}
	if f0 < 0 {
		t.Fatalf("no f0_mean_hz among %v", names)
	}
	for i, f := range freqs {
		if got := float64(vectors[i][f0]); math.Abs(got-f)/f > 0.02 {
			t.Errorf("tone of %g Hz: f0_mean_hz %g", f, got)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "handcrafted-*.json"))
	if len(entries) != 2 {
		t.Fatalf("%d cache entries, want 2", len(entries))
	}
	// Damage one entry: it is recomputed, the other is read back.
	if err := os.WriteFile(entries[0], []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, again, err := DescribeRows(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	for i := range vectors {
		for j := range vectors[i] {
			if again[i][j] != vectors[i][j] {
				t.Fatalf("row %d feature %s: %g then %g", i, names[j], vectors[i][j], again[i][j])
			}
		}
	}
	// Other options miss the cache: 2 more entries.
	if _, _, err := DescribeRows(dir, lt, nil, Options{}, cache); err != nil {
		t.Fatal(err)
	}
	if entries, _ := filepath.Glob(filepath.Join(cache, "handcrafted-*.json")); len(entries) != 4 {
		t.Errorf("%d cache entries after other options, want 4", len(entries))
	}
	if _, _, err := DescribeRows(dir, lt, []int{5}, o, cache); err == nil || !strings.Contains(err.Error(), "row 5 outside") {
		t.Errorf("bad row: error %v", err)
	}
	os.Remove(filepath.Join(dir, "low.wav"))
	if _, _, err := DescribeRows(dir, lt, nil, o, cache); err == nil || !strings.Contains(err.Error(), "low.wav") {
		t.Errorf("missing file: error %v", err)
	}
}

// TestDescribeRowsCacheIntegrity: a cache entry with one changed digit, or a
// valid entry copied under another clip's name, is recomputed, never served;
// so is a truncated one.
func TestDescribeRowsCacheIntegrity(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	const rate = 22050
	csv := "file,start_time,end_time,a,b\n"
	for i, f := range []float64{1957.94, 3500} {
		samples := make([]float32, rate)
		for n := range samples {
			samples[n] = float32(0.5 * math.Sin(2*math.Pi*f*float64(n)/rate))
		}
		name := fmt.Sprintf("t%d.wav", i)
		if err := audio.WriteWAV(filepath.Join(dir, name), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
			t.Fatal(err)
		}
		csv += name + ",0,1," + []string{"1,0", "0,1"}[i] + "\n"
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader(csv), "tones")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{BandLowHz: 1000, BandHighHz: 10000}
	_, want, err := DescribeRows(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "handcrafted-*.json"))
	if len(entries) != 2 {
		t.Fatalf("%d cache entries, want 2", len(entries))
	}
	first, _ := os.ReadFile(entries[0])
	second, _ := os.ReadFile(entries[1])
	// One digit: the first number of the vector, its first digit changed.
	at := bytes.Index(first, []byte(`"vector":[`)) + len(`"vector":[`)
	for first[at] == '-' || first[at] == '0' || first[at] == '.' {
		at++
	}
	oneDigit := bytes.Clone(first)
	oneDigit[at] = '9' // 1957.94 becomes 9957.94
	if first[at] == '9' {
		oneDigit[at] = '8'
	}
	for _, tc := range []struct {
		name           string
		entry, content []byte
		path           string
	}{
		{"one changed digit", first, oneDigit, entries[0]},
		{"another entry's content", first, second, entries[0]},
		{"truncated", first, first[:len(first)/2], entries[0]},
	} {
		if err := os.WriteFile(tc.path, tc.content, 0o644); err != nil {
			t.Fatal(err)
		}
		_, got, err := DescribeRows(dir, lt, nil, o, cache)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Fatalf("%s: row %d value %d served as %g, want %g", tc.name, i, j, got[i][j], want[i][j])
				}
			}
		}
		if again, _ := os.ReadFile(tc.path); !bytes.Equal(again, tc.entry) {
			t.Errorf("%s: the entry was not rewritten", tc.name)
		}
	}
}

// TestDescribeRowsPastTheEnd: a row ending past its file's end is an error
// saying the file's length, not a description of the part that exists.
func TestDescribeRowsPastTheEnd(t *testing.T) {
	dir := t.TempDir()
	const rate = 22050
	samples := make([]float32, rate*321/100) // 3.21 s
	for n := range samples {
		samples[n] = float32(0.5 * math.Sin(2*math.Pi*2000*float64(n)/rate))
	}
	if err := audio.WriteWAV(filepath.Join(dir, "tone.wav"), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x\ntone.wav,0,3,1\ntone.wav,3,6,1\n"), "rows")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{BandLowHz: 1000, BandHighHz: 10000}
	_, _, err = DescribeRows(dir, lt, nil, o, "")
	if err == nil || !strings.Contains(err.Error(), "row 1") || !strings.Contains(err.Error(), "3.21 s long") || !strings.Contains(err.Error(), "0.21 s") {
		t.Errorf("row 3–6 s of a 3.21 s file: error %v, want row 1, the file's length and the 0.21 s it holds named", err)
	}
	if _, vectors, err := DescribeRows(dir, lt, []int{0}, o, ""); err != nil || len(vectors) != 1 {
		t.Errorf("row 0–3 s of a 3.21 s file: %v", err)
	}
}

// TestDescribeRowsAbsolutePath: a row naming its file by an absolute path is
// read from there, not from under dir.
func TestDescribeRowsAbsolutePath(t *testing.T) {
	dir := t.TempDir()
	const rate = 22050
	samples := make([]float32, rate)
	for n := range samples {
		samples[n] = float32(0.5 * math.Sin(2*math.Pi*2000*float64(n)/rate))
	}
	path := filepath.Join(dir, "tone.wav")
	if err := audio.WriteWAV(path, [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	lt := &dataset.LabelTable{Classes: []string{"x"}, Rows: []dataset.Row{{File: path, StartSeconds: 0, EndSeconds: 1, Labels: []int{1}}}}
	if _, vectors, err := DescribeRows("elsewhere", lt, nil, Options{BandLowHz: 1000, BandHighHz: 10000}, ""); err != nil || len(vectors) != 1 {
		t.Errorf("DescribeRows of an absolute path: %v", err)
	}
}

// TestDescribeRowsOldCacheVersion: a well-formed entry written under an older
// cacheVersion (here v2's key, as every cache made before the resampler
// rewrite holds) is not served; the row is described afresh.
func TestDescribeRowsOldCacheVersion(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	const rate = 22050
	samples := make([]float32, rate)
	for n := range samples {
		samples[n] = float32(0.5 * math.Sin(2*math.Pi*2000*float64(n)/rate))
	}
	if err := audio.WriteWAV(filepath.Join(dir, "tone.wav"), [][]float32{samples}, rate, audio.WAVFloat32); err != nil {
		t.Fatal(err)
	}
	lt, err := dataset.ParseLabelCSV(strings.NewReader("file,start_time,end_time,x\ntone.wav,0,1,1\n"), "rows")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{BandLowHz: 1000, BandHighHz: 10000}
	names, fresh, err := DescribeRows(dir, lt, nil, o, "")
	if err != nil {
		t.Fatal(err)
	}
	optionsJSON, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tone.wav"))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "handcrafted v2\x00%s\x00%g\x00%g\x00", optionsJSON, 0.0, 1.0)
	h.Write(data)
	oldKey := hex.EncodeToString(h.Sum(nil))
	stale := cachedFeatures{Key: oldKey, Names: names, Vector: make([]float32, len(names))}
	for j := range stale.Vector {
		stale.Vector[j] = 12345
	}
	stale.SHA256 = stale.digest()
	raw, err := json.Marshal(stale)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, "handcrafted-"+oldKey+".json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	_, got, err := DescribeRows(dir, lt, nil, o, cache)
	if err != nil {
		t.Fatal(err)
	}
	for j := range got[0] {
		if got[0][j] != fresh[0][j] {
			t.Fatalf("feature %s: %g from a cache holding a %q entry, %g described afresh", names[j], got[0][j], "handcrafted v2", fresh[0][j])
		}
	}
}

// TestDescribePinned pins Describe's values (as float32 bits) on a fixed
// warbling tone in noise at 22050 Hz, a rate at which F0 upsamples it: a
// change of any feature for the same input fails here. If the change is
// meant, bump cacheVersion in rows.go (old cache entries would otherwise be
// served) and update the digest. amd64 only: other architectures may fuse
// multiply-adds and round differently.
func TestDescribePinned(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("digest pinned on amd64")
	}
	const rate = 22050
	samples := make([]float32, rate*3/2)
	seed := uint64(1)
	phase := 0.0
	for n := range samples {
		seed = seed*6364136223846793005 + 1442695040888963407
		noise := float64(int64(seed>>11))/float64(1<<52) - 1
		tt := float64(n) / rate
		phase += 2 * math.Pi * (3000 + 800*math.Sin(2*math.Pi*5*tt)) / rate
		amp := 0.0
		if tt > 0.2 && tt < 1.2 {
			amp = 0.4
		}
		samples[n] = float32(amp*math.Sin(phase) + 0.01*noise)
	}
	d, err := Describe(samples, rate, Options{BandLowHz: 1000, BandHighHz: 10000})
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	var b [4]byte
	for _, v := range d.Vector() {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(v)))
		h.Write(b[:])
	}
	const want = "835483bb575123e0"
	if got := hex.EncodeToString(h.Sum(nil))[:16]; got != want {
		t.Errorf("Describe's values changed (digest %s, pinned %s): %v %v; if meant, bump cacheVersion (now %q) and the digest", got, want, d.Names(), d.Vector(), cacheVersion)
	}
}
