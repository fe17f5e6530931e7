package subcommand

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	run := func(name string, args []string) error {
		switch name {
		case "ok":
			return nil
		case "fail":
			return fmt.Errorf("%d arguments: %w", len(args), errors.New("broken"))
		case "one":
			if len(args) != 1 {
				return ErrUsage
			}
			return nil
		}
		return ErrUsage
	}
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"ok", "-x"}, 0, ""},
		{[]string{"one", "a"}, 0, ""},
		{nil, 2, "usage: prog ok|fail|one ARG\n"},
		{[]string{"nope"}, 2, "usage: prog ok|fail|one ARG\n"},
		{[]string{"one"}, 2, "usage: prog ok|fail|one ARG\n"},
		{[]string{"fail", "a", "b"}, 1, "prog fail: 2 arguments: broken\n"},
	} {
		var stderr strings.Builder
		if status := Run(tc.args, &stderr, "prog", "prog ok|fail|one ARG", run); status != tc.status || stderr.String() != tc.stderr {
			t.Errorf("Run(%q) = %d, %q; want %d, %q", tc.args, status, stderr.String(), tc.status, tc.stderr)
		}
	}
}
