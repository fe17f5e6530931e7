package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
)

// formatSeconds writes a time in seconds as the shortest decimal that reads
// back the same.
func formatSeconds(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) }

// writeCSV writes rows to path atomically.
func writeCSV(path string, rows [][]string) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.WriteAll(rows)
		return cw.Error()
	})
}

// windowTable is a CSV of windows — file, start_time, end_time and any other
// columns — with an answer column named after a label (added when missing):
// what search -csv and validate write, or a table a person made.
type windowTable struct {
	path                           string
	header                         []string
	rows                           [][]string
	file, start, end, answer, clip int // column indices; clip −1 when absent
}

func readWindowTable(path, label string) (*windowTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	all, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	t := &windowTable{path: path, header: all[0], rows: all[1:]}
	col := func(name string) int { return slices.Index(t.header, name) }
	t.file, t.start, t.end, t.answer, t.clip = col("file"), col("start_time"), col("end_time"), col(label), col("clip")
	if t.file < 0 || t.start < 0 || t.end < 0 {
		return nil, fmt.Errorf("%s: header %q: want file,start_time,end_time columns (and one named %q for the answers)", path, strings.Join(t.header, ","), label)
	}
	if t.answer < 0 {
		t.header = append(t.header, label)
		t.answer = len(t.header) - 1
		for i := range t.rows {
			t.rows[i] = append(t.rows[i], "")
		}
	}
	return t, nil
}

// span returns row i's file and span, with an error naming the file and line.
func (t *windowTable) span(i int) (file string, start, end float64, err error) {
	r := t.rows[i]
	start, err1 := strconv.ParseFloat(r[t.start], 64)
	end, err2 := strconv.ParseFloat(r[t.end], 64)
	if err := errors.Join(err1, err2); err != nil || !(end > start) {
		return "", 0, 0, fmt.Errorf("%s: line %d: span %q–%q: want two numbers, start < end", t.path, i+2, r[t.start], r[t.end])
	}
	return r[t.file], start, end, nil
}

// save writes the table back, atomically, with its answers.
func (t *windowTable) save() error { return writeCSV(t.path, append([][]string{t.header}, t.rows...)) }

// annotationKey identifies an annotation for not storing it twice.
type annotationKey struct {
	file       string
	start, end float64
	kind       embeddb.LabelType
	provenance string
}

func defaultProvenance() string {
	if u := os.Getenv("USER"); u != "" {
		return "human:" + u
	}
	return "human"
}

func runLabel(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "label", "-label NAME [flags] WINDOWS.csv")
	label := fs.String("label", "", "the label the answers are about (required): the CSV's answer column has its name")
	dbPath := fs.String("db", defaultDB, "the embedding database the annotations go into")
	interactive := fs.Bool("interactive", false, "ask about each row without an answer on the terminal (y, n, u for unsure, s skip, q quit), and write the answers into the CSV")
	clipsDir := fs.String("clips", "", "with -interactive: write each window as a WAV clip into this folder to listen to before answering")
	provenance := fs.String("provenance", defaultProvenance(), "who answered, stored with each annotation")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *label == "" || fs.NArg() != 1 {
		return usageErr(e, fs, "give -label and one CSV of windows (file,start_time,end_time[,LABEL]; search -csv and validate write them)")
	}
	if *provenance == "" {
		return usageErr(e, fs, "-provenance must say who answered")
	}
	if !*interactive {
		if code, ok := refuseGiven(e, fs, "only with -interactive (the clips are written to listen to before answering)", "clips"); !ok {
			return code
		}
	}
	table, err := readWindowTable(fs.Arg(0), *label)
	if err != nil {
		return fail(e, "label", err)
	}
	db, err := openExistingDB(e, *dbPath)
	if err != nil {
		return fail(e, "label", err)
	}
	defer db.Close()
	existing, err := db.Annotations(*label)
	if err != nil {
		return fail(e, "label", err)
	}
	stored := map[annotationKey]bool{}
	for _, a := range existing {
		stored[annotationKey{a.File, a.StartSeconds, a.EndSeconds, a.Type, a.Provenance}] = true
	}
	counts := map[embeddb.LabelType]int{}
	already, unanswered, bad := 0, 0, 0
	// store keeps row i's answer, unless it is there already.
	store := func(i int, ans active.Answer) error {
		file, start, end, err := table.span(i)
		if err != nil {
			return err
		}
		kind := agile.LabelType(ans)
		key := annotationKey{file, start, end, kind, *provenance}
		if stored[key] {
			already++
			return nil
		}
		rec, ok, err := db.Recording(file)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%s: line %d: %s is not in %s (embed it first; files are named as embed was given them)", table.path, i+2, file, *dbPath)
		}
		if _, err := db.Annotate(embeddb.Annotation{RecordingID: rec.ID, StartSeconds: start, EndSeconds: end, Label: *label,
			Type: kind, Provenance: *provenance}); err != nil {
			return err
		}
		stored[key] = true
		counts[kind]++
		return nil
	}
	var in *bufio.Scanner
	if *interactive {
		in = bufio.NewScanner(e.stdin)
	}
	quit := false
	for i, row := range table.rows {
		if ctx.Err() != nil {
			break
		}
		ans, err := agile.ParseAnswer(row[table.answer])
		if err != nil {
			e.errLog.add(row[table.file], fmt.Errorf("%s: line %d: %v", table.path, i+2, err))
			bad++
			continue
		}
		if ans == agile.Unanswered && *interactive && !quit {
			ans, quit, err = ask(e, in, table, i, *label, *clipsDir)
			if err != nil {
				e.errLog.add(row[table.file], err)
				bad++
				continue
			}
			if ans != agile.Unanswered {
				table.rows[i][table.answer] = map[active.Answer]string{active.Yes: "1", active.No: "0", active.Unsure: "?"}[ans]
				if err := table.save(); err != nil {
					return fail(e, "label", err)
				}
			}
		}
		if ans == agile.Unanswered {
			unanswered++
			continue
		}
		if err := store(i, ans); err != nil {
			e.errLog.add(row[table.file], err)
			bad++
		}
	}
	fmt.Fprintf(e.stdout, "stored %d annotations of %q by %q in %s (%d positive, %d negative, %d uncertain); %d already there, %d rows without an answer",
		counts[embeddb.Positive]+counts[embeddb.Negative]+counts[embeddb.Uncertain], *label, *provenance, *dbPath,
		counts[embeddb.Positive], counts[embeddb.Negative], counts[embeddb.Uncertain], already, unanswered)
	if bad > 0 {
		fmt.Fprintf(e.stdout, ", %d failed", bad)
	}
	fmt.Fprintln(e.stdout)
	if unanswered > 0 && !*interactive {
		fmt.Fprintf(e.stdout, "fill the %q column (1 yes, 0 no, ? unsure), or answer on the terminal: dawnchorus label -label %s -interactive %s\n", *label, *label, table.path)
	}
	return exitOK
}

// ask puts row i to the person at the terminal until a valid answer: y, n, u
// (unsure), s (skip: Unanswered) or q (quit: Unanswered, and quit true). The
// end of the input quits too.
func ask(e *env, in *bufio.Scanner, t *windowTable, i int, label, clipsDir string) (ans active.Answer, quit bool, err error) {
	file, start, end, err := t.span(i)
	if err != nil {
		return agile.Unanswered, false, err
	}
	clip := ""
	if t.clip >= 0 && t.rows[i][t.clip] != "" && t.rows[i][t.clip] != "-" {
		clip = t.rows[i][t.clip]
	}
	if clipsDir != "" {
		clip = filepath.Join(clipsDir, fmt.Sprintf("%03d_%s_%.2f-%.2f.wav", i+1, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)), start, end))
		if err := cutClip(file, start, end, clip); err != nil {
			return agile.Unanswered, false, err
		}
	}
	fmt.Fprintf(e.stdout, "[%d/%d] %s %.2f–%.2f s", i+1, len(t.rows), file, start, end)
	if clip != "" {
		fmt.Fprintf(e.stdout, "  clip: %s", clip)
	}
	fmt.Fprintln(e.stdout)
	for {
		fmt.Fprintf(e.stdout, "%s? [y]es [n]o [u]nsure [s]kip [q]uit: ", label)
		if !in.Scan() {
			fmt.Fprintln(e.stdout)
			return agile.Unanswered, true, in.Err()
		}
		switch reply := strings.ToLower(strings.TrimSpace(in.Text())); reply {
		case "s", "skip":
			return agile.Unanswered, false, nil
		case "q", "quit":
			return agile.Unanswered, true, nil
		case "":
		default:
			if ans, err := agile.ParseAnswer(reply); err == nil {
				return ans, false, nil
			}
		}
		fmt.Fprintln(e.stdout, "  answer y, n, u, s or q")
	}
}
