package backend

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/backend/purego"
	"github.com/gomlx/gomlx/backends"
)

// EnvVar is the environment variable that, when set, names the engine configuration
// to use (GoMLX's own "GOMLX_BACKEND"), for example "go" or "xla:cpu".
const EnvVar = backends.ConfigEnvVar

// PureGo is the configuration of the pure-Go engine, the fallback that always works:
// GoMLX's simplego completed for training and sped up by package purego.
const PureGo = purego.BackendName

// Choice is the engine configuration picked by [Choose] and the reason for it.
type Choice struct {
	// Config is the GoMLX backend configuration, "<name>[:<options>]", e.g. "go" or "xla:cpu".
	Config string
	// Reason says in a few words why this engine was picked.
	Reason string
}

// String reports the choice in one line, e.g. `engine "go": no XLA PJRT plugin installed`.
func (c Choice) String() string {
	return fmt.Sprintf("engine %q: %s", c.Config, c.Reason)
}

// Choose decides which engine to use, without creating it: $GOMLX_BACKEND when set,
// else XLA when a PJRT plugin is installed, else the pure-Go engine.
func Choose() Choice {
	return choose(os.LookupEnv, installedPlugins)
}

// choose holds the decision with its inputs injected, so tests can exercise each branch.
func choose(lookupEnv func(string) (string, bool), plugins func() []string) Choice {
	if config, ok := lookupEnv(EnvVar); ok && config != "" {
		return Choice{Config: config, Reason: fmt.Sprintf("set by $%s", EnvVar)}
	}
	names := plugins()
	if len(names) > 0 {
		plugin := names[0]
		for _, preferred := range xlaDefaultPlugins { // "cuda" before "cpu"
			if contains(names, preferred) {
				plugin = preferred
				break
			}
		}
		return Choice{
			Config: xlaBackendName + ":" + plugin,
			Reason: fmt.Sprintf("XLA PJRT plugin %q is installed (found %v)", plugin, names),
		}
	}
	return Choice{
		Config: PureGo,
		Reason: "no XLA PJRT plugin installed, using the pure-Go engine purego (set $" + EnvVar + " or PJRT_PLUGIN_LIBRARY_PATH to change)",
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Report is where [New] writes its one-line account of the engine it picked: standard
// output inside a GoNB notebook (where standard error is painted as an error), standard
// error elsewhere. Set it to io.Discard to silence it.
var Report io.Writer = defaultReport()

func defaultReport() io.Writer {
	if os.Getenv("GONB_PIPE") != "" { // set by the GoNB kernel for the cell's program
		return os.Stdout
	}
	return os.Stderr
}

var (
	shared     backends.Backend
	sharedErr  error
	sharedOnce sync.Once
	chosen     Choice
)

// New returns the process-wide engine, creating it on the first call from [Choose]'s
// decision, and writes that decision in one line to [Report] (in a GoNB notebook only
// the first time in the kernel's session, or when the decision changed: see
// reportChoice). Later calls return the
// same engine: an engine holds worker pools (and, for XLA, a device client) that are
// meant to be shared.
func New() (backends.Backend, error) {
	sharedOnce.Do(func() {
		chosen = Choose()
		_ = reportChoice(Report, chosen.String(), os.Getenv(sessionDirEnv))
		shared, sharedErr = create(chosen.Config)
		if sharedErr != nil {
			sharedErr = fmt.Errorf("backend: creating %s: %w", chosen, sharedErr)
		}
	})
	return shared, sharedErr
}

// create builds the engine for config, turning GoMLX's panics (an unknown engine
// name, say) into errors.
func create(config string) (b backends.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return backends.NewWithConfig(config)
}

// MustNew is [New] for notebooks and programs: it panics on error.
func MustNew() backends.Backend {
	b, err := New()
	if err != nil {
		panic(err)
	}
	return b
}

// Chosen returns the decision [New] acted on; it is the zero Choice before New is called.
func Chosen() Choice { return chosen }

// Engine returns the configuration of the engine this process runs ("purego",
// "xla:cpu", …): the one [New] created, or, before New is called, the one
// [Choose] picks and New will create. It is the one way a program records the
// engine — in training records, result tables, cache keys and benchmark
// headers — so that records compare as strings.
func Engine() string { return engineOf(chosen, Choose) }

// engineOf is Engine with its inputs injected: made is New's decision (zero
// before New), pick the decision New would make.
func engineOf(made Choice, pick func() Choice) string {
	if made.Config != "" {
		return made.Config
	}
	return pick().Config
}

var (
	small     backends.Backend
	smallErr  error
	smallOnce sync.Once
)

// NewSmallGraphs returns the engine for graphs made of many small ops, such as
// a shallow classifier's loss and gradient or an MLP's training step: New's
// engine, except that when New picked purego by default (no $GOMLX_BACKEND),
// a second purego engine, created once, that runs a graph's ops one at a time
// (simplego's "ops_sequential"). simplego otherwise hands each op to a
// goroutine of its own, which costs more than it overlaps when ops take a few
// microseconds; each op's own work (purego's matrix product) still uses every
// core. Results are the same to the bit: only the order in which independent
// ops run changes.
func NewSmallGraphs() (backends.Backend, error) {
	engine, err := New()
	if err != nil || Chosen().Config != PureGo {
		return engine, err
	}
	smallOnce.Do(func() {
		small, smallErr = purego.New("ops_sequential")
		if smallErr != nil {
			smallErr = fmt.Errorf("backend: creating purego with sequential ops: %w", smallErr)
		}
	})
	return small, smallErr
}
