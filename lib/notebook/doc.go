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
// command only as text on the cell's standard error ("exit status N"); Jupyter still
// counts the cell as a success. [Check] reads an executed notebook and reports those cells
// along with ordinary error outputs, so a headless run can fail on them.
package notebook
