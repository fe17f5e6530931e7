//go:build !cgo || noxla

package backend

// XLAAvailable says whether this binary can run GoMLX's XLA engine: false here,
// in a build without cgo (CGO_ENABLED=0) or with the build tag noxla. XLA's
// bindings (go-xla's PJRT loader) need cgo, so such a build compiles only the
// pure-Go engines, and is one static binary — what an Apache Beam worker
// cross-compiled by the Go SDK is (beam/). $GOMLX_BACKEND=xla:… then fails in
// New with GoMLX's "unknown backend" error, naming the configuration.
const XLAAvailable = false

// The XLA engine's name and plugin preference, as GoMLX's backends/xla spells
// them, so that a $GOMLX_BACKEND naming XLA still reads the same.
var (
	xlaBackendName    = "xla"
	xlaDefaultPlugins = []string{"cuda", "cpu"}
)

// installedPlugins finds none: without cgo no PJRT plugin can be loaded, so
// Choose never picks XLA by itself.
func installedPlugins() []string { return nil }
