package main

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/transfer"
)

// TestParsePerMethod reads -seeds-for and -sizes-for into per-method overrides
// and refuses malformed values with an error naming the flag.
func TestParsePerMethod(t *testing.T) {
	for _, tc := range []struct {
		seeds, sizes string
		wantSeeds    map[transfer.Method][]uint64
		wantSizes    map[transfer.Method][]int
		wantErr      string
	}{
		{"", "", nil, nil, ""},
		{"scratch=1;finetune=1,2", "scratch=720, 2000", map[transfer.Method][]uint64{transfer.Scratch: {1}, transfer.FineTune: {1, 2}},
			map[transfer.Method][]int{transfer.Scratch: {720, 2000}}, ""},
		{"scratch", "", nil, nil, "-seeds-for"},
		{"", "bogus=1", nil, nil, "unknown method"},
		{"frozen=x", "", nil, nil, `"x"`},
	} {
		var o transfer.Options
		err := parsePerMethod(&o, tc.seeds, tc.sizes)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q, %q: error %v, want one containing %q", tc.seeds, tc.sizes, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(o.SeedsFor, tc.wantSeeds) || !reflect.DeepEqual(o.SizesFor, tc.wantSizes) {
			t.Errorf("%q, %q: seeds %v, sizes %v, error %v; want %v, %v", tc.seeds, tc.sizes, o.SeedsFor, o.SizesFor, err, tc.wantSeeds, tc.wantSizes)
		}
	}
	o := transfer.Options{Seeds: []uint64{1, 2, 3}, SeedsFor: map[transfer.Method][]uint64{transfer.Scratch: {1}}}
	if got := o.SeedsOf(transfer.Scratch); !reflect.DeepEqual(got, []uint64{1}) {
		t.Errorf("SeedsOf(scratch) = %v, want [1]", got)
	}
	if got := o.SeedsOf(transfer.Frozen); !reflect.DeepEqual(got, []uint64{1, 2, 3}) {
		t.Errorf("SeedsOf(frozen) = %v, want [1 2 3]", got)
	}
	if got := (transfer.Options{}).SizesOf(transfer.Frozen); !reflect.DeepEqual(got, []int{20, 60, 100, 300, 1000}) {
		t.Errorf("default SizesOf = %v", got)
	}
}

func TestSortByMethod(t *testing.T) {
	rows := []transfer.Row{
		{Method: transfer.Scratch, Size: 24, Seed: 1}, {Method: transfer.Scratch, Size: 72, Seed: 1},
		{Method: transfer.Scratch, Size: 24, Seed: 2}, {Method: "other", Size: 24, Seed: 1},
		{Method: transfer.Frozen, Size: 24, Seed: 1}, {Method: transfer.FineTune, Size: 24, Seed: 1},
		{Method: transfer.Frozen, Size: 24, Seed: 2},
	}
	provenance := []transfer.Provenance{{Method: transfer.Scratch}, {Method: transfer.Frozen}, {Method: transfer.FineTune}}
	sortByMethod(rows, provenance)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s/%d/%d", r.Method, r.Size, r.Seed))
	}
	want := "frozen/24/1 frozen/24/2 finetune/24/1 scratch/24/1 scratch/72/1 scratch/24/2 other/24/1"
	if strings.Join(got, " ") != want {
		t.Errorf("rows in order %v, want %s", got, want)
	}
	if provenance[0].Method != transfer.Frozen || provenance[1].Method != transfer.FineTune || provenance[2].Method != transfer.Scratch {
		t.Errorf("provenance in order %v", provenance)
	}
}
