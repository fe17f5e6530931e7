// Package notebook turns the course's lessons into Jupyter notebooks for the GoNB kernel,
// and checks notebooks that Jupyter has executed.
//
// A lesson is a Markdown file, lessons/NN-slug.md. Each fenced block opened by a line
// "```go" becomes a code cell; the text between code blocks becomes markdown cells (other
// fences, "```text" or "```bash", stay inside the markdown). Before the lesson's own cells
// the generated notebook gets one setup cell ([SetupCell]) that points the kernel's Go
// workspace at the repository holding the notebook, so cells import the repository's lib/
// packages at the versions pinned by its go.mod, wherever the clone lives.
//
// Generation is deterministic: the same lesson always gives the same bytes (cell ids are
// derived from the lesson's name and the cell's position), so a committed notebook can be
// compared with a fresh rendering of its lesson to tell when it is out of date.
//
// GoNB reports a cell whose program panics, exits non-zero, or runs a failing shell
// command only as text on the cell's output ("exit status N"); Jupyter still counts the
// cell as a success. [Check] reads an executed notebook and reports those cells along with
// ordinary error outputs, and the silent failures a cell's own code can leave: errors it
// printed, NaN or Inf in its numbers or figures, a figure that did not render (every call
// of [DisplayCalls] in a cell's main body must leave its output), a cell that prints but
// printed nothing. A cell that shows an error or a NaN on purpose says so with a directive
// comment ([DirectiveError], [DirectiveNaN]).
//
// `notebooks execute` records what a headless run cost in the executed notebook ([Run]);
// [CheckBudget] holds a lesson to its budget of CPU time.
package notebook
