package backend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportChoiceOncePerSession runs the programs of notebook sessions one after
// another, as GoNB runs cells, and counts the engine lines each one printed.
func TestReportChoiceOncePerSession(t *testing.T) {
	const pure = `engine "purego": no XLA PJRT plugin installed`
	const xla = `engine "xla:cpu": set by $GOMLX_BACKEND`
	sessionA, sessionB := t.TempDir(), t.TempDir()
	steps := []struct {
		name       string
		line, dir  string
		wantOutput string
	}{
		{"first cell of a session prints", pure, sessionA, pure + "\n"},
		{"second cell of the session is quiet", pure, sessionA, ""},
		{"third cell too", pure, sessionA, ""},
		{"another session (kernel restart) prints", pure, sessionB, pure + "\n"},
		{"a changed engine prints", xla, sessionA, xla + "\n"},
		{"the change is remembered", xla, sessionA, ""},
		{"back to the first engine prints", pure, sessionA, pure + "\n"},
		{"outside a notebook always prints", pure, "", pure + "\n"},
		{"outside a notebook, again", pure, "", pure + "\n"},
		{"a missing session folder still prints", pure, filepath.Join(sessionA, "gone"), pure + "\n"},
		{"and keeps printing (nothing to remember it in)", pure, filepath.Join(sessionA, "gone"), pure + "\n"},
	}
	for _, step := range steps {
		var out strings.Builder
		if err := reportChoice(&out, step.line, step.dir); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if out.String() != step.wantOutput {
			t.Errorf("%s: printed %q, want %q", step.name, out.String(), step.wantOutput)
		}
	}
	if err := reportChoice(nil, pure, sessionA); err != nil {
		t.Errorf("nil writer: %v", err)
	}
}

// TestReportChoiceUnreadableMarkerPrints: a marker that cannot be read (a folder in
// its place) never hides the line.
func TestReportChoiceUnreadableMarkerPrints(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, reportedFile), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		var out strings.Builder
		if err := reportChoice(&out, "engine x", dir); err != nil || out.String() != "engine x\n" {
			t.Errorf("call %d: printed %q, err %v; want the line", i, out.String(), err)
		}
	}
}
