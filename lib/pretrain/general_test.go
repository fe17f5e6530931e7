package pretrain

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRealSetsAndRepeats(t *testing.T) {
	for _, tc := range []struct {
		real, repeat string
		sets         int
		want         string // fmt of the counts, or the error's start
		source1      string
	}{
		{"datasets/real-pretrain", "", 1, "[1]", "real"},
		{"datasets/real-pretrain, datasets/real-pretrain-animals", "", 2, "[1 1]", "real:real-pretrain-animals"},
		{"a,b", "1,4", 2, "[1 4]", "real:b"},
		{"a,b", "4", 2, "pretrain: RealRepeat (-real-repeat) \"4\" gives 1 counts", "real:b"},
		{"a,b", "1,0", 2, "pretrain: RealRepeat (-real-repeat) \"1,0\": count \"0\"", "real:b"},
	} {
		d := GeneralData{Real: tc.real, RealRepeat: tc.repeat}
		if got := len(d.RealSets()); got != tc.sets {
			t.Errorf("-real %q: %d sets, want %d", tc.real, got, tc.sets)
		}
		got, err := d.Repeats()
		msg := fmt.Sprint(got)
		if err != nil {
			msg = err.Error()
		}
		if len(msg) < len(tc.want) || msg[:len(tc.want)] != tc.want {
			t.Errorf("-real %q -real-repeat %q: %s, want %s", tc.real, tc.repeat, msg, tc.want)
		}
		if src := d.RealSource(len(d.RealSets()) - 1); src != tc.source1 {
			t.Errorf("-real %q: last set's source %q, want %q", tc.real, src, tc.source1)
		}
	}
}

// TestRealNames: two real sets may not share a folder name.
func TestRealNames(t *testing.T) {
	for _, tc := range []struct {
		real string
		ok   bool
	}{
		{"datasets/real-pretrain", true},
		{"datasets/real-pretrain,datasets/real-pretrain-animals", true},
		{"a/x,b/x", false},
	} {
		err := GeneralData{Real: tc.real}.CheckRealNames()
		if (err == nil) != tc.ok {
			t.Errorf("-real %q: error %v, want ok %v", tc.real, err, tc.ok)
		}
	}
}

// TestRuleOfShippedRecords: Rule, given a shipped general-v* record's data and
// its counts (the world's animals from its validation clips, the real classes
// from its class list, the real clips from its per-source counts), says that
// record's corpus_rule word for word, for one real set (general-v1, general-v2)
// and for several (the general-v3 attempt).
func TestRuleOfShippedRecords(t *testing.T) {
	paths, err := filepath.Glob("../zoo/*/general-v*/" + RecordFile)
	if err != nil {
		t.Fatal(err)
	}
	sets := map[int]int{} // records by how many real sets they have
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var rec Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatal(err)
		}
		d := rec.Data
		worldAnimals := rec.ValClips["world"] / d.WorldValClips
		realTrain, realVal := 0, 0
		for i := range d.RealSets() {
			realTrain += rec.TrainClips[d.RealSource(i)]
			realVal += rec.ValClips[d.RealSource(i)]
		}
		got := d.Rule(rec.InitFrom, worldAnimals, len(rec.Config.Classes)-worldAnimals, realTrain, realVal)
		if got != rec.CorpusRule {
			t.Errorf("%s: Rule says\n%s\nthe record\n%s", path, got, rec.CorpusRule)
		}
		sets[min(len(d.RealSets()), 2)]++
	}
	if sets[1] < 2 || sets[2] < 1 {
		t.Errorf("records by number of real sets %v, want 2 or more with one and 1 or more with several (%s)", sets, strings.Join(paths, ", "))
	}
}
