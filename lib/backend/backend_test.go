package backend

import (
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

func TestChoose(t *testing.T) {
	env := func(vals map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vals[k]; return v, ok }
	}
	plugins := func(names ...string) func() []string { return func() []string { return names } }
	tests := []struct {
		name       string
		env        map[string]string
		plugins    []string
		wantConfig string
		wantReason string
	}{
		{"env wins over plugins", map[string]string{EnvVar: "go"}, []string{"cpu"}, "go", "set by $GOMLX_BACKEND"},
		{"env with options", map[string]string{EnvVar: "xla:cuda"}, nil, "xla:cuda", "set by $GOMLX_BACKEND"},
		{"empty env is ignored", map[string]string{EnvVar: ""}, nil, PureGo, "no XLA PJRT plugin"},
		{"cpu plugin", nil, []string{"cpu"}, "xla:cpu", `plugin "cpu" is installed`},
		{"cuda preferred over cpu", nil, []string{"cpu", "cuda"}, "xla:cuda", `plugin "cuda" is installed`},
		{"other plugin", nil, []string{"tpu"}, "xla:tpu", `plugin "tpu" is installed`},
		{"nothing installed", nil, nil, PureGo, "pure-Go engine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := choose(env(tc.env), plugins(tc.plugins...))
			if got.Config != tc.wantConfig || !strings.Contains(got.Reason, tc.wantReason) {
				t.Errorf("choose() = %+v, want config %q with reason containing %q", got, tc.wantConfig, tc.wantReason)
			}
			if line := got.String(); strings.Contains(line, "\n") || !strings.Contains(line, tc.wantConfig) {
				t.Errorf("String() = %q: want one line naming %q", line, tc.wantConfig)
			}
		})
	}
}

func TestCreateUnknownEngineIsAnError(t *testing.T) {
	if _, err := create("no-such-engine"); err == nil || !strings.Contains(err.Error(), "no-such-engine") {
		t.Fatalf("create(unknown) error = %v, want one naming the engine", err)
	}
}

// TestNewComputes runs 1+2*3 on the engine New picks (the pure-Go one on a machine
// without XLA), checking the engine really computes.
func TestNewComputes(t *testing.T) {
	var report strings.Builder
	Report = &report
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(report.String(), "engine ") || strings.Count(report.String(), "\n") != 1 {
		t.Errorf("New reported %q, want one line starting with \"engine \"", report.String())
	}
	if Chosen().Config == "" {
		t.Error("Chosen() is empty after New")
	}
	got := graph.MustExecOnce(b, func(x *graph.Node) *graph.Node {
		return graph.Add(graph.OnePlus(x), graph.Const(x.Graph(), float32(5)))
	}, float32(1)).Value().(float32)
	if got != 7 {
		t.Errorf("1+1+5 = %v on %s, want 7", got, Chosen())
	}
	if again := MustNew(); again != b {
		t.Error("New returned a different engine on the second call")
	}
}

// TestNewSmallGraphs checks that the small-graph engine computes what New's
// does, bit for bit, on a graph of many small ops (a softmax cross-entropy and
// its gradient), and is a separate purego engine only when New picked purego.
func TestNewSmallGraphs(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSmallGraphs()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := NewSmallGraphs(); again != s {
		t.Error("NewSmallGraphs returned a different engine on the second call")
	}
	if (s != b) != (Chosen().Config == PureGo) {
		t.Errorf("NewSmallGraphs is a separate engine: %v; want that only for purego (chosen %s)", s != b, Chosen())
	}
	logits := make([]float32, 64*10)
	for i := range logits {
		logits[i] = float32((i*37)%23) / 7
	}
	fn := func(x *graph.Node) *graph.Node {
		loss := graph.ReduceAllSum(graph.Neg(graph.LogSoftmax(graph.Square(x), -1)))
		return graph.Gradient(loss, x)[0]
	}
	// A tensor stays with the engine it first ran on: one each.
	want := tensors.MustCopyFlatData[float32](graph.MustExecOnce(b, fn, tensors.FromFlatDataAndDimensions(slices.Clone(logits), 64, 10)))
	got := tensors.MustCopyFlatData[float32](graph.MustExecOnce(s, fn, tensors.FromFlatDataAndDimensions(slices.Clone(logits), 64, 10)))
	if !slices.Equal(got, want) {
		t.Error("the small-graph engine's result differs from New's engine's")
	}
}

// TestXLAOnlyWithCgo checks the split between xla.go and xla_off.go: a build
// with cgo (the test's own) has XLA unless the noxla tag says otherwise, and a
// build without cgo never lists plugins. The build itself with CGO_ENABLED=0
// is checked by beam/'s TestWorkerBuildsWithoutCgo.
func TestXLAOnlyWithCgo(t *testing.T) {
	if !XLAAvailable {
		if got := installedPlugins(); got != nil {
			t.Errorf("installedPlugins() = %v in a build without XLA, want none", got)
		}
		if c := choose(func(string) (string, bool) { return "", false }, installedPlugins); c.Config != PureGo {
			t.Errorf("choose() = %+v without XLA, want %s", c, PureGo)
		}
		return
	}
	if xlaBackendName != "xla" || !slices.Equal(xlaDefaultPlugins, []string{"cuda", "cpu"}) {
		t.Errorf("XLA names = %q %v: xla_off.go must spell them as GoMLX does", xlaBackendName, xlaDefaultPlugins)
	}
}

// TestEngine: the engine a program records is New's choice once New has run,
// and before that the choice New would make — never "" and never a second
// decision once one was acted on.
func TestEngine(t *testing.T) {
	xla := Choice{Config: "xla:cpu", Reason: "plugin"}
	for _, tc := range []struct {
		name string
		made Choice
		pick Choice
		want string
	}{
		{"before New", Choice{}, Choice{Config: PureGo, Reason: "no plugin"}, PureGo},
		{"before New, set by the environment", Choice{}, Choice{Config: "xla:cuda", Reason: "set"}, "xla:cuda"},
		{"after New", xla, Choice{Config: PureGo, Reason: "no plugin"}, "xla:cpu"},
	} {
		picked := false
		got := engineOf(tc.made, func() Choice { picked = true; return tc.pick })
		if got != tc.want {
			t.Errorf("%s: engine %q, want %q", tc.name, got, tc.want)
		}
		if picked != (tc.made.Config == "") {
			t.Errorf("%s: asked Choose again: %v", tc.name, picked)
		}
	}
	if _, err := New(); err != nil {
		t.Fatal(err)
	}
	if Engine() != Chosen().Config || Engine() == "" {
		t.Errorf("after New: Engine() = %q, Chosen() = %v", Engine(), Chosen())
	}
}
