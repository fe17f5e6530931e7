package pretrain

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// beforeLevel is the last line of a front end recorded before its Level field
// existed (TopDB's) and its indentation.
var beforeLevel = regexp.MustCompile(`(\n( *)"TopDB": [0-9.]+)\n`)

// TestShippedRecords reads every shipped network's record.json (lib/zoo/models/*/
// and the attempts kept in lib/zoo/attempts/*/) into Record, refusing any field
// Record lacks, and writes it back as WriteRecord does: the same bytes, so the one
// type holds birds-v1's record and the general-v* ones with no field lost, renamed,
// moved or added. The one exception is a record written before spectro's level rule
// existed (birds-v1's): its front end has no Level or FloorDBFS, reads as LevelPeak
// (spectro.FrontEndOptions.UnmarshalJSON) and is written back with the two fields,
// as any record written since carries them; nothing else in it may change.
func TestShippedRecords(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"../zoo/models/*/" + RecordFile, "../zoo/attempts/*/" + RecordFile} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, found...)
	}
	kinds := map[string]int{} // records with a corpus, with data
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var rec Record
		if err := dec.Decode(&rec); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		dir := t.TempDir()
		if err := WriteRecord(dir, rec); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		out, err := os.ReadFile(filepath.Join(dir, RecordFile))
		if err != nil {
			t.Fatal(err)
		}
		want := data
		if !bytes.Contains(data, []byte(`"Level":`)) {
			want = beforeLevel.ReplaceAll(data, []byte("$1,\n$2\"Level\": \"peak\",\n$2\"FloorDBFS\": 0\n"))
			if bytes.Equal(want, data) {
				t.Errorf("%s: a front end without Level and without TopDB", path)
			}
		}
		if !bytes.Equal(out, want) {
			t.Errorf("%s read into Record and written back differs:\n%s", path, out)
		}
		if rec.Engine == "" || rec.Train.Steps == 0 || rec.GitCommit == "" || rec.WeightsSHA256 == "" {
			t.Errorf("%s: the embedded Run or the digest read nothing: %+v", path, rec.Run)
		}
		if rec.Corpus != (CorpusOptions{}) {
			kinds["corpus"]++
		}
		if rec.Data != (GeneralData{}) {
			kinds["data"]++
		}
	}
	// birds-v1 (corpus) and general-v1, general-v2 and the general-v3 attempt (data).
	if kinds["corpus"] < 1 || kinds["data"] < 3 {
		t.Errorf("%d records (%v by kind), want birds-v1's with a corpus and 3 or more with data", len(paths), kinds)
	}
}
