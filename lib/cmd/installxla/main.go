// Command installxla downloads and installs GoMLX's XLA PJRT plugin (CPU, and CUDA when
// an NVIDIA GPU is present) into ~/.local/lib/go-xla, where lib/backend then finds it and
// picks the XLA engine. It needs the network (GitHub, and PyPI for CUDA); the course
// itself never downloads anything, so this is the one explicit step to take where the
// network allows it.
//
//	go run ./lib/cmd/installxla
package main

import (
	"fmt"
	"os"

	"github.com/gomlx/go-xla/pkg/installer"
)

func main() {
	if err := installer.AutoInstall("", true, installer.Normal); err != nil {
		fmt.Fprintln(os.Stderr, "installxla: installing the XLA PJRT plugin failed:", err)
		fmt.Fprintln(os.Stderr, "installxla: the course keeps working on the pure-Go engine.")
		os.Exit(1)
	}
	fmt.Println("installxla: done; new notebooks and programs will use the XLA engine (see lib/backend).")
}
