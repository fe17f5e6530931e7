//go:build cgo && !noxla

package backend

import (
	"sort"

	"github.com/gomlx/go-xla/pkg/pjrt"
	"github.com/gomlx/gomlx/backends/xla"
)

// XLAAvailable says whether this binary can run GoMLX's XLA engine: true in
// builds with cgo (the default), false with CGO_ENABLED=0 or the build tag
// noxla, where only the pure-Go engines are compiled in (xla_off.go).
const XLAAvailable = true

// xlaBackendName and xlaDefaultPlugins are GoMLX's XLA engine name ("xla") and
// its plugins in order of preference ("cuda" before "cpu").
var (
	xlaBackendName    = xla.BackendName
	xlaDefaultPlugins = xla.DefaultPlugins
)

func init() {
	// Never download a PJRT plugin behind the user's back: offline laptops, CI and
	// classrooms must not stall on the network.
	xla.EnableAutoInstall(false)
}

// installedPlugins lists the PJRT plugins already on this machine, sorted; it looks
// only at the local file system.
func installedPlugins() []string {
	found := pjrt.AvailablePlugins()
	names := make([]string, 0, len(found))
	for name := range found {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
