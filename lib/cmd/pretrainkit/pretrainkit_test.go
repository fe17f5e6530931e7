package pretrainkit

import (
	"flag"
	"testing"
)

// TestDeclareRunFlags checks the shared flags' defaults and the help texts taken
// from RunDefaults, then parsing.
func TestDeclareRunFlags(t *testing.T) {
	fs := flag.NewFlagSet("p", flag.ContinueOnError)
	f := DeclareRunFlags(fs, RunDefaults{Program: "pretrain-x", Name: "x-v1", Steps: 7, EvalEvery: 3, DataSeed: 9,
		LRHelp: "lr help", SeedHelp: "seed help", DataSeedHelp: "data help", EvalEveryHelpSuffix: " (and more)"})
	if *f.Steps != 7 || *f.Batch != 32 || *f.LR != 2e-3 || *f.Out != "lib/zoo/models/x-v1" || *f.Name != "x-v1" ||
		*f.Checkpoint != "build/pretrain-x/checkpoint" || *f.Seed != 1 || *f.DataSeed != 9 || *f.EvalEvery != 3 || *f.Notes != "" || *f.Export {
		t.Errorf("defaults: %+v", f)
	}
	for name, help := range map[string]string{"lr": "lr help", "seed": "seed help", "data-seed": "data help", "eval-every": "steps between evaluations (and more)"} {
		if got := fs.Lookup(name).Usage; got != help {
			t.Errorf("-%s's help %q, want %q", name, got, help)
		}
	}
	if err := fs.Parse([]string{"-steps", "11", "-export", "-out", "o", "-seed", "4"}); err != nil {
		t.Fatal(err)
	}
	if *f.Steps != 11 || !*f.Export || *f.Out != "o" || *f.Seed != 4 {
		t.Errorf("parsed: %+v", f)
	}
}
