package main

import "testing"

func TestAnswersPrinted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		want  answerCount
		lines int
	}{
		{"none", `{"source": "fmt.Printf(\"you answered %d questions (%d unsure), said yes %d times\""}`, answerCount{}, 0},
		{"lesson 04b, one cell", `"text": ["you answered 6 questions (2 unsure), said yes 2 times; 3 answers agree"]`,
			answerCount{6, 2, 2}, 1},
		{"lesson 06, three cells", `"you answered 10 questions (3 unsure), said yes 3 times\n" ... ` +
			`"you answered 1 questions (0 unsure), said yes 1 times\n" ... ` +
			`"you answered 24 questions (8 unsure), said yes 8 times\n"`,
			answerCount{35, 11, 12}, 3},
		{"another line", `you answered 3 questions, all yes`, answerCount{}, 0},
	} {
		got, lines := answersPrinted(tc.text)
		if got != tc.want || lines != tc.lines {
			t.Errorf("%s: answersPrinted = %v in %d lines, want %v in %d", tc.name, got, lines, tc.want, tc.lines)
		}
	}
}
