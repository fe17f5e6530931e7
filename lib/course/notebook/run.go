package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// RunMetadataKey is the notebook metadata entry in which `notebooks execute` records
// what running the notebook cost.
const RunMetadataKey = "dawnchorus_run"

// Run is what one headless run of a notebook cost, recorded in the executed
// notebook's metadata.
//
// The lesson budget is checked on CPUSeconds, not on the wall time: the CPU time of
// the run (the kernel, the compiler and every cell's program, all reaped when the run
// ends) does not grow when other jobs share the machine, while the wall time does. On
// an idle machine a run takes at most its CPU time plus its idle waits (starting the
// kernel, a second or two), and less where it keeps both cores busy, so a lesson within
// its CPU budget runs within the same budget of wall time on an idle 2-core laptop.
type Run struct {
	// CPUSeconds is user + system CPU time; WallSeconds the elapsed time.
	CPUSeconds  float64 `json:"cpu_seconds"`
	WallSeconds float64 `json:"wall_seconds"`
	// LoadBefore and LoadAfter are the machine's 1-minute load average at the start
	// and at the end (0 where the system does not say), and CPUs its number of
	// logical CPUs: they tell a wall time measured on a busy machine.
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
	CPUs       int     `json:"cpus"`
	StartedUTC string  `json:"started_utc"`
}

// RunOf returns the run recorded in an executed notebook, and whether there is one.
func RunOf(nb *Notebook) (Run, bool, error) {
	raw, ok := nb.Metadata[RunMetadataKey]
	if !ok {
		return Run{}, false, nil
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return Run{}, false, err
	}
	var run Run
	if err := json.Unmarshal(data, &run); err != nil {
		return Run{}, false, fmt.Errorf("metadata %s: %w", RunMetadataKey, err)
	}
	return run, true, nil
}

// RecordRun writes run into the metadata of the executed notebook at path, keeping
// every other byte of meaning (the notebook is re-encoded as JSON with Jupyter's
// one-space indentation; keys come out sorted).
func RecordRun(path string, run Run) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	metadata, _ := doc["metadata"].(map[string]any)
	if metadata == nil {
		metadata = map[string]any{}
	}
	metadata[RunMetadataKey] = run
	doc["metadata"] = metadata
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, out.Bytes())
}

// CellTime is how long one code cell ran, from the timestamps nbclient records in
// the cell's metadata (execution: iopub.execute_input to shell.execute_reply).
type CellTime struct {
	Cell    int // 1-based, as Problem.Cell
	Source  string
	Seconds float64
}

// CellTimes returns the cells' times, slowest first (cells without timestamps are
// left out).
func CellTimes(nb *Notebook) []CellTime {
	var times []CellTime
	for i, cell := range nb.Cells {
		execution, _ := cell.Metadata["execution"].(map[string]any)
		start, err1 := time.Parse(time.RFC3339Nano, fmt.Sprint(execution["iopub.execute_input"]))
		end, err2 := time.Parse(time.RFC3339Nano, fmt.Sprint(execution["shell.execute_reply"]))
		if cell.CellType != "code" || err1 != nil || err2 != nil {
			continue
		}
		first := firstLine(cell.Text())
		times = append(times, CellTime{Cell: i + 1, Source: first, Seconds: end.Sub(start).Seconds()})
	}
	sort.SliceStable(times, func(a, b int) bool { return times[a].Seconds > times[b].Seconds })
	return times
}

// CheckBudget returns a problem when the notebook's recorded run took more than
// budgetCPUSeconds of CPU time (see Run), or recorded no run. The message names the
// slowest cells.
func CheckBudget(nb *Notebook, budgetCPUSeconds float64) []Problem {
	run, ok, err := RunOf(nb)
	switch {
	case err != nil:
		return []Problem{{Message: err.Error()}}
	case !ok:
		return []Problem{{Message: fmt.Sprintf("no run record (metadata %s): execute it with `notebooks execute` to check its time budget", RunMetadataKey)}}
	case run.CPUSeconds <= budgetCPUSeconds:
		return nil
	}
	msg := fmt.Sprintf("took %.0f s of CPU time, over its budget of %.0f s (wall %.0f s, load %.1f → %.1f on %d CPUs)",
		run.CPUSeconds, budgetCPUSeconds, run.WallSeconds, run.LoadBefore, run.LoadAfter, run.CPUs)
	for i, c := range CellTimes(nb) {
		if i == 3 {
			break
		}
		msg += fmt.Sprintf("\n\t\tcell %d (%s): %.0f s", c.Cell, c.Source, c.Seconds)
	}
	return []Problem{{Message: msg}}
}

// firstLine returns the first non-blank line of code, trimmed.
func firstLine(code string) string {
	for _, line := range bytes.Split([]byte(code), []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 {
			return string(t)
		}
	}
	return ""
}
