package selfcheck

import (
	"math"
	"strings"
	"testing"
)

func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		check  func(c *Checker) bool
		pass   bool
		output string // a part of the printed line
	}{
		{"near, inside", func(c *Checker) bool { return c.Near("e1", 0.7072, 1/math.Sqrt2, 1e-3, "h") }, true, "✓ e1: right (0.7072)"},
		{"near, on the edge", func(c *Checker) bool { return c.Near("e1", 1.5, 1, 0.5, "h") }, true, "✓ e1"},
		{"near, outside", func(c *Checker) bool { return c.Near("e1", 0.5, 1/math.Sqrt2, 1e-3, "scale it") }, false,
			"✗ e1: not yet (your answer: 0.5). Hint: scale it"},
		{"near, NaN", func(c *Checker) bool { return c.Near("e1", math.NaN(), 0, math.Inf(1), "h") }, false, "not a number"},
		{"near, Inf", func(c *Checker) bool { return c.Near("e1", math.Inf(1), 0, 1, "h") }, false, "infinite"},
		{"between, inside", func(c *Checker) bool { return c.Between("e3", 2.6, 2.3, 2.9, "h") }, true, "✓ e3: right (2.6)"},
		{"between, below", func(c *Checker) bool { return c.Between("e3", 1, 2.3, 2.9, "count") }, false, "Hint: count"},
		{"between, NaN", func(c *Checker) bool { return c.Between("e3", math.NaN(), 0, 1, "h") }, false, "not a number"},
		{"equal, words", func(c *Checker) bool { return c.Equal("e2", "higher", "higher", "h") }, true, `✓ e2: right ("higher")`},
		{"equal, no word yet", func(c *Checker) bool { return c.Equal("e2", "", "higher", "h") }, false, `(your answer: "")`},
		{"equal, counts", func(c *Checker) bool { return c.Equal("e4", 3, 4, "count the weights") }, false,
			"✗ e4: not yet (your answer: 3). Hint: count the weights"},
		{"that", func(c *Checker) bool { return c.That("e1", false, "2 kHz → 6 kHz", "reverse it") }, false,
			"(your answer: 2 kHz → 6 kHz). Hint: reverse it"},
	} {
		var out strings.Builder
		c := NewTo(&out)
		if got := tc.check(c); got != tc.pass {
			t.Errorf("%s: returned %v, want %v", tc.name, got, tc.pass)
		}
		if !strings.Contains(out.String(), tc.output) {
			t.Errorf("%s: printed %q, want it to contain %q", tc.name, out.String(), tc.output)
		}
		if strings.Count(out.String(), "\n") != 1 {
			t.Errorf("%s: printed %q, want one line", tc.name, out.String())
		}
		if strings.Contains(out.String(), "NaN") || strings.Contains(out.String(), "Inf") {
			t.Errorf("%s: printed %q: the notebook checks fail on NaN and Inf", tc.name, out.String())
		}
		passed, failed := 0, 1
		if tc.pass {
			passed, failed = 1, 0
		}
		if c.Passed() != passed || c.Failed() != failed {
			t.Errorf("%s: counted %d passed, %d failed", tc.name, c.Passed(), c.Failed())
		}
	}
}

func TestDone(t *testing.T) {
	for _, tc := range []struct {
		name   string
		checks []bool
		all    bool
		output string
	}{
		{"none", nil, false, "no checks ran"},
		{"all", []bool{true, true}, true, "all 2 checks pass"},
		{"some", []bool{true, false, true}, false, "2 of 3 checks pass"},
		{"no pass", []bool{false}, false, "0 of 1 checks pass"},
	} {
		var out strings.Builder
		c := NewTo(&out)
		for _, ok := range tc.checks {
			c.That("x", ok, "", "")
		}
		out.Reset()
		if got := c.Done(); got != tc.all {
			t.Errorf("%s: Done() = %v, want %v", tc.name, got, tc.all)
		}
		if !strings.HasPrefix(out.String(), tc.output) {
			t.Errorf("%s: Done printed %q, want %q", tc.name, out.String(), tc.output)
		}
	}
}

func TestEqualTypes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want any
		pass      bool
	}{
		{"same int", 3, 3, true},
		{"int and int64", 3, int64(3), false},
		{"slices", []int{1, 2}, []int{1, 2}, true},
		{"slices differ", []int{1, 2}, []int{2, 1}, false},
		{"strings", "lower", "higher", false},
	} {
		var out strings.Builder
		if got := NewTo(&out).Equal("e", tc.got, tc.want, "h"); got != tc.pass {
			t.Errorf("%s: Equal(%v, %v) = %v, want %v", tc.name, tc.got, tc.want, got, tc.pass)
		}
	}
}
