// Package pretrainkit is the command-line scaffolding the two pretraining
// programs (lib/cmd/pretrain and lib/cmd/pretraingeneral) share: their common
// flags, declared once with each program's defaults and help texts.
//
// It is for programs, not for notebooks or the library: nothing under lib/ but
// those commands imports it (lib/pretrain, which lib/zoo imports, holds the
// training and its record, no flags), as lib/cmd/benchkit is for the benchmarks.
package pretrainkit

import (
	"flag"
	"path/filepath"
)

// RunFlags are the flags the two pretraining programs (lib/cmd/pretrain and
// lib/cmd/pretraingeneral) share: the run's length and optimizer, where its
// weights, record and checkpoint go, its seeds, its notes, and -export.
type RunFlags struct {
	Steps, Batch, EvalEvery *int
	LR                      *float64
	Out, Name, Checkpoint   *string
	Seed, DataSeed          *uint64
	Notes                   *string
	Export                  *bool
}

// RunDefaults are what differs between the programs' shared flags: the defaults
// and the help texts that say what the seeds and the learning rate drive.
type RunDefaults struct {
	// Program names the checkpoint directory, build/<Program>/checkpoint.
	Program string
	// Name is the model's name; the output directory is lib/zoo/models/<Name>.
	Name                string
	Steps, EvalEvery    int
	DataSeed            uint64
	LRHelp, SeedHelp    string
	DataSeedHelp        string
	EvalEveryHelpSuffix string
}

// DeclareRunFlags declares the shared flags on fs with d's defaults and returns
// them, to read after fs is parsed.
func DeclareRunFlags(fs *flag.FlagSet, d RunDefaults) RunFlags {
	return RunFlags{
		Steps:      fs.Int("steps", d.Steps, "optimizer steps"),
		Batch:      fs.Int("batch", 32, "batch size"),
		LR:         fs.Float64("lr", 2e-3, d.LRHelp),
		Out:        fs.String("out", "lib/zoo/models/"+d.Name, "output directory of weights.dcnn and record.json"),
		Name:       fs.String("name", d.Name, "model name"),
		Checkpoint: fs.String("checkpoint", filepath.ToSlash(filepath.Join("build", d.Program, "checkpoint")), "checkpoint directory (resumes when one is there; empty: none)"),
		Seed:       fs.Uint64("seed", 1, d.SeedHelp),
		DataSeed:   fs.Uint64("data-seed", d.DataSeed, d.DataSeedHelp),
		EvalEvery:  fs.Int("eval-every", d.EvalEvery, "steps between evaluations"+d.EvalEveryHelpSuffix),
		Notes:      fs.String("notes", "", "notes for the record"),
		Export:     fs.Bool("export", false, "write the weights and record of the checkpoint as it is, without training (a run cut short)"),
	}
}
