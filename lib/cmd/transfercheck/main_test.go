package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// TestVerdict checks the margins and the verdict on means worked out by hand:
// 0.90 against 0.75 and 0.82 is +15 and +8 points, which fails a 10-point bar
// and passes a 5-point one.
func TestVerdict(t *testing.T) {
	rec := Record{Pretrained: "p", Handcrafted: "h", Untrained: "u", RequiredMargin: 10, Comparison: &fewshot.Comparison{
		Results: []fewshot.Result{{Name: "p", Mean: 0.90}, {Name: "h", Mean: 0.75}, {Name: "u", Mean: 0.82}},
	}}
	rec.Verdict()
	if math.Abs(rec.MarginVsHandcrafted-15) > 1e-9 || math.Abs(rec.MarginVsUntrained-8) > 1e-9 || rec.Pass {
		t.Errorf("margins %+.2f, %+.2f, pass %v; want +15, +8, false", rec.MarginVsHandcrafted, rec.MarginVsUntrained, rec.Pass)
	}
	rec.RequiredMargin = 5
	rec.Verdict()
	if !rec.Pass {
		t.Error("margins +15 and +8 fail a 5-point bar")
	}
}

// TestShippedRecord checks the committed transfer.json, when there is one:
// it was measured on the shipped weights (else it is stale: run `make
// transfercheck`), and its margins and verdict follow from its own results.
func TestShippedRecord(t *testing.T) {
	path := filepath.Join("..", "..", "zoo", "models", zoo.BirdsV1, "transfer.json")
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s: none yet (make transfercheck writes it)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var rec Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	model, err := zoo.Load(zoo.BirdsV1)
	if err != nil {
		t.Fatal(err)
	}
	if rec.WeightsDigest != model.Info().Digest {
		t.Errorf("%s was measured on weights %s, the shipped ones are %s: run `make transfercheck`", path, rec.WeightsDigest, model.Info().Digest)
	}
	stored := rec
	rec.Verdict()
	if rec.MarginVsHandcrafted != stored.MarginVsHandcrafted || rec.MarginVsUntrained != stored.MarginVsUntrained || rec.Pass != stored.Pass {
		t.Errorf("%s: stored margins %+.2f, %+.2f, pass %v; its results give %+.2f, %+.2f, %v", path,
			stored.MarginVsHandcrafted, stored.MarginVsUntrained, stored.Pass, rec.MarginVsHandcrafted, rec.MarginVsUntrained, rec.Pass)
	}
	if len(rec.Comparison.Results) != 3 || rec.Comparison.PerClass != 10 {
		t.Errorf("%s: %d results, %d per class; want 3 feature sets, 10 clips per class", path, len(rec.Comparison.Results), rec.Comparison.PerClass)
	}
}

// TestRecordPath checks where a run writes its record: the shipped record
// only for the shipped corpus; a run on other data writes under build/ by
// default and refuses to overwrite the shipped record even when asked to.
func TestRecordPath(t *testing.T) {
	shipped := filepath.Join("lib", "zoo", "models", zoo.BirdsV1, "transfer.json")
	for _, c := range []struct {
		name, data, out string
		want            string // "" with wantErr
		wantErr         bool
	}{
		{"default data", defaultData, "", shipped, false},
		{"default data, spelt ./", "./" + defaultData + "/", "", shipped, false},
		{"default data, no record", defaultData, "-", "-", false},
		{"default data, own file", defaultData, "x.json", "x.json", false},
		{"other data", "my/corpus", "", filepath.Join("build", "transfercheck", "corpus-"+zoo.BirdsV1+".json"), false},
		{"other data, stdout only", "my/corpus", "-", "-", false},
		{"other data, own file", "my/corpus", "out.json", "out.json", false},
		{"other data onto the shipped record", "my/corpus", shipped, "", true},
		{"other data onto the shipped record, spelt ./", "my/corpus", "./lib/zoo/models/../models/" + zoo.BirdsV1 + "/transfer.json", "", true},
	} {
		got, err := recordPath(c.data, zoo.BirdsV1, c.out)
		if c.wantErr {
			if err == nil {
				t.Errorf("%s: recordPath(%q, %q) = %q, want an error", c.name, c.data, c.out, got)
			} else if !strings.Contains(err.Error(), "transfer.json") || !strings.Contains(err.Error(), c.data) {
				t.Errorf("%s: error %q names neither the shipped record nor the data", c.name, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: recordPath(%q, %q) = %q, %v; want %q", c.name, c.data, c.out, got, err, c.want)
		}
	}
}
