package exercises

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// checkLines runs a CheckTo and returns its lines, failing the test on an error.
func checkLines(t *testing.T, checkTo func(*bytes.Buffer) error) []string {
	t.Helper()
	var out bytes.Buffer
	if err := checkTo(&out); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(out.String()), "\n")
}

// countMarks counts the passed (✓) and the not-yet (✗ … not yet) lines.
func countMarks(lines []string) (passed, notYet int) {
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "✓"):
			passed++
		case strings.HasPrefix(line, "✗") && strings.Contains(line, "not yet"):
			notYet++
		}
	}
	return passed, notYet
}

// TestLesson00 checks blank answers (every check not yet), the right ones from hand
// computations (a sine's RMS is its amplitude over √2; the sweep's phase gives 22 waves
// in the first 10 ms and 58 in the last) and wrong ones.
func TestLesson00(t *testing.T) {
	tests := []struct {
		name           string
		answers        Lesson00
		passed, notYet int
	}{
		{"blank", Lesson00{}, 0, 3},
		{"right", Lesson00{DownSweepRMS: 1 / math.Sqrt2, HalfAmplitudeRMS: 0.5 / math.Sqrt2,
			WaveRatio: 58.0 / 22}, 3, 0},
		// The cell's zero-crossing count, 58 and 21, is within 15 % too.
		{"counted", Lesson00{DownSweepRMS: 0.7071, HalfAmplitudeRMS: 0.3536,
			WaveRatio: 58.0 / 21}, 3, 0},
		{"wrong", Lesson00{DownSweepRMS: 0.5, HalfAmplitudeRMS: 0.7071, WaveRatio: 1.5}, 0, 3},
		{"one wrong", Lesson00{DownSweepRMS: 0.7071, HalfAmplitudeRMS: 0.3536, WaveRatio: 3.2},
			2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := checkLines(t, func(b *bytes.Buffer) error { return tc.answers.CheckTo(b) })
			passed, notYet := countMarks(lines)
			if passed != tc.passed || notYet != tc.notYet || len(lines) != 4 {
				t.Errorf("%d passed, %d not yet, want %d and %d (4 lines):\n%s", passed, notYet,
					tc.passed, tc.notYet, strings.Join(lines, "\n"))
			}
		})
	}
}
