package metrics

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestErrorsWithinGroups counts by hand, with groups by number and by name.
func TestErrorsWithinGroups(t *testing.T) {
	// Classes 0,1 form group 0 (family "A") and 2,3 group 1 ("B"). Errors: clip 1 (0→1,
	// within), 3 (1→0, within), 5 (2→3, within), 6 (3→0, across), 8 (0→2, across).
	truth := []int{0, 0, 1, 1, 2, 2, 3, 3, 0, 2}
	predicted := []int{0, 1, 1, 0, 2, 3, 0, 3, 2, 2}
	byNumber, err := ErrorsWithinGroups(truth, predicted, []int{0, 0, 1, 1}, BootstrapConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := byNumber; got.Clips != 10 || got.Errors != 5 || got.WithinGroup != 3 || got.Accuracy.Estimate != 0.5 || got.WithinGroupShare.Estimate != 0.6 {
		t.Errorf("got %+v, want 10 clips, 5 errors, 3 within, accuracy 0.5, share 0.6", got)
	}
	if s := byNumber.WithinGroupShare; !(s.Lower <= 0.6 && 0.6 <= s.Upper && s.Lower >= 0 && s.Upper <= 1 && s.Lower < s.Upper) {
		t.Errorf("share interval %v, want one around 0.6 inside [0, 1]", s)
	}
	byName, err := ErrorsWithinGroups(truth, predicted, []string{"A", "A", "B", "B"}, BootstrapConfig{Seed: 1})
	if err != nil || !reflect.DeepEqual(byName, byNumber) {
		t.Errorf("groups by name: %+v, %v; want the same as by number, %+v", byName, err, byNumber)
	}
	// Every class its own group: no error is within; one group: every error is.
	if g, _ := ErrorsWithinGroups(truth, predicted, []string{"a", "b", "c", "d"}, BootstrapConfig{Seed: 1}); g.WithinGroup != 0 || g.WithinGroupShare.Upper != 0 {
		t.Errorf("own groups: %+v, want no error within", g)
	}
	if g, _ := ErrorsWithinGroups(truth, predicted, []string{"a", "a", "a", "a"}, BootstrapConfig{Seed: 1}); g.WithinGroup != 5 || g.WithinGroupShare.Lower != 1 || g.WithinGroupShare.Upper != 1 {
		t.Errorf("one group: %+v, want 5 within, share 1 [1, 1]", g)
	}
	// One error among 200 clips: a resample misses it with probability (199/200)^200 ≈
	// 0.367, and those resamples are skipped.
	one, two := make([]int, 200), make([]int, 200)
	two[7] = 1
	g, err := ErrorsWithinGroups(one, two, []int{0, 0}, BootstrapConfig{Seed: 2})
	if err != nil || g.Errors != 1 || g.WithinGroup != 1 || g.WithinGroupShare.Skipped < 300 || g.WithinGroupShare.Skipped > 440 {
		t.Errorf("one error: %+v, %v (skipped %d), want about 367 of 1000 skipped", g, err, g.WithinGroupShare.Skipped)
	}
	none, err := ErrorsWithinGroups(truth, truth, []int{0, 0, 1, 1}, BootstrapConfig{})
	if err != nil || none.Errors != 0 || none.Accuracy.Estimate != 1 || !math.IsNaN(none.WithinGroupShare.Estimate) || !math.IsNaN(none.WithinGroupShare.Lower) || none.WithinGroupShare.Level != 0.95 {
		t.Errorf("no error: %+v, %v; want a NaN share at level 0.95", none, err)
	}
	for _, c := range []struct {
		name             string
		truth, predicted []int
		groups           []int
		want             string
	}{
		{"class 3 without a group", truth, predicted, []int{0, 0, 1}, "groups are given for classes 0 to 2"},
		{"a negative class", []int{-1}, []int{0}, []int{0}, "class -1"},
		{"predictions of another length", []int{1}, []int{1, 2}, []int{0, 0, 0}, "predictions"},
	} {
		if _, err := ErrorsWithinGroups(c.truth, c.predicted, c.groups, BootstrapConfig{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.want)
		}
	}
}
