package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

func runModels(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "models", "[flags]   (the zoo, models in $"+zoo.ModelsEnv+", and those given by -model)")
	var configs []string
	fs.Func("model", "an external model's config file to register and list (repeatable; format: lib/zoo ExternalConfig)", func(path string) error {
		configs = append(configs, path)
		return nil
	})
	if code, ok := parse(fs, args); !ok {
		return code
	}
	for _, path := range configs {
		if _, err := zoo.RegisterExternal(path); err != nil {
			return fail(e, "models", err)
		}
	}
	failed := false
	if err := zoo.EnvModelsError(); err != nil {
		fmt.Fprintf(e.stderr, "dawnchorus models: %v\n", err)
		failed = true
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "name\tsample rate\tclip\tdim\tdescription")
	for _, entry := range zoo.List() {
		m, err := zoo.Load(entry.Name)
		if err != nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t%s (cannot load: %v)\n", entry.Name, entry.Description, err)
			failed = true
			continue
		}
		info := m.Info()
		fmt.Fprintf(tw, "%s\t%d Hz\t%g s\t%d\t%s\n", entry.Name, info.SampleRateHz, info.ClipSeconds, info.EmbeddingSize, entry.Description)
	}
	tw.Flush()
	if failed {
		return exitSomeFailed
	}
	return exitOK
}
