package activeui_test

import (
	"context"
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/active/activeui"
)

// Outside a notebook the widget does not wait for clicks that cannot come: it says to
// use the simulated oracle instead.
func ExampleNotebookOracle() {
	var oracle active.Oracle = &activeui.NotebookOracle{Question: "Is this a song thrush?"}
	_, err := oracle.Label(context.Background(), []active.Item{{Index: 0}})
	fmt.Println(err)
	// Output:
	// activeui: NotebookOracle needs a GoNB notebook to show clips and wait for clicks (gonbui.IsNotebook is false); use active.NewSimulatedOracle for tests and headless runs
}
