package embeddb

import (
	"errors"
	"fmt"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// LabelType says what an annotation asserts about its label (perch-hoplite's
// values, as stored).
type LabelType int

const (
	// Negative: the label's sound is not in the span.
	Negative LabelType = 0
	// Positive: the label's sound is in the span.
	Positive LabelType = 1
	// Uncertain: the annotator could not tell.
	Uncertain LabelType = 2
)

func (t LabelType) String() string {
	switch t {
	case Negative:
		return "negative"
	case Positive:
		return "positive"
	case Uncertain:
		return "uncertain"
	}
	return fmt.Sprintf("LabelType(%d)", int(t))
}

// ParseLabelType reads "negative", "positive" or "uncertain".
func ParseLabelType(s string) (LabelType, error) {
	for _, t := range []LabelType{Negative, Positive, Uncertain} {
		if s == t.String() {
			return t, nil
		}
	}
	return 0, fmt.Errorf("label type %q: want negative, positive or uncertain", s)
}

// Annotation is a label on a span of a recording, with its provenance: who or
// what said so (Provenance: "human:ana", "model:linear-2026-05", …) and when
// (CreatedAt, UTC). As in perch-hoplite, it belongs to the recording and the
// span, not to one model's window, so it holds for the windows of every model
// that overlap it.
type Annotation struct {
	ID                       int64
	RecordingID              int64
	File                     string // filled in on reading
	StartSeconds, EndSeconds float64
	Label                    string
	Type                     LabelType
	Provenance               string
	CreatedAt                time.Time
}

// Annotate adds an annotation (RecordingID, span, Label, Type and Provenance
// are required; a zero CreatedAt means now) and returns it with its ID.
func (db *DB) Annotate(a Annotation) (Annotation, error) {
	switch {
	case a.Label == "":
		return a, errors.New("embeddb: an annotation needs a label")
	case a.Provenance == "":
		return a, fmt.Errorf("embeddb: annotation %q needs a provenance (who or what labelled it)", a.Label)
	case a.Type != Negative && a.Type != Positive && a.Type != Uncertain:
		return a, fmt.Errorf("embeddb: annotation %q: unknown label type %d", a.Label, int(a.Type))
	case !(a.StartSeconds >= 0) || !(a.EndSeconds > a.StartSeconds):
		return a, fmt.Errorf("embeddb: annotation %q: span %g–%g s: want 0 ≤ start < end", a.Label, a.StartSeconds, a.EndSeconds)
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now()
	}
	a.CreatedAt = a.CreatedAt.UTC()
	tx, err := db.sql.Begin()
	if err != nil {
		return a, db.errorf("annotating: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRow("SELECT file FROM recordings WHERE id = ?", a.RecordingID).Scan(&a.File); err != nil {
		return a, db.errorf("annotating recording %d: %w", a.RecordingID, notFound(err))
	}
	res, err := tx.Exec(`INSERT INTO annotations (recording_id, start_seconds, end_seconds, label, label_type, provenance, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.RecordingID, a.StartSeconds, a.EndSeconds, a.Label, int(a.Type), a.Provenance,
		a.CreatedAt.Format(time.RFC3339Nano))
	if err != nil {
		return a, db.errorf("annotating %s: %w", a.File, err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return a, db.errorf("annotating %s: %w", a.File, err)
	}
	return a, db.wrap(tx.Commit(), "annotating %s", a.File)
}

// AnnotateWindow annotates the span of a window (of any model).
func (db *DB) AnnotateWindow(windowID int64, label string, t LabelType, provenance string) (Annotation, error) {
	a := Annotation{Label: label, Type: t, Provenance: provenance}
	err := db.sql.QueryRow("SELECT recording_id, start_seconds, end_seconds FROM windows WHERE id = ?", windowID).
		Scan(&a.RecordingID, &a.StartSeconds, &a.EndSeconds)
	if err != nil {
		return a, db.errorf("annotating window %d: %w", windowID, notFound(err))
	}
	return db.Annotate(a)
}

const annotationColumns = `a.id, a.recording_id, r.file, a.start_seconds, a.end_seconds, a.label, a.label_type, a.provenance, a.created_at`

// Annotations returns the annotations with that label (all of them when label
// is ""), by id.
func (db *DB) Annotations(label string) ([]Annotation, error) {
	return db.queryAnnotations(`SELECT `+annotationColumns+` FROM annotations a JOIN recordings r ON r.id = a.recording_id
		WHERE ? = '' OR a.label = ? ORDER BY a.id`, label, label)
}

// WindowAnnotations returns the annotations that overlap a window's span on
// its recording (an overlap of positive length), by id.
func (db *DB) WindowAnnotations(windowID int64) ([]Annotation, error) {
	return db.queryAnnotations(`SELECT `+annotationColumns+` FROM windows w
		JOIN annotations a ON a.recording_id = w.recording_id AND a.start_seconds < w.end_seconds AND a.end_seconds > w.start_seconds
		JOIN recordings r ON r.id = a.recording_id
		WHERE w.id = ? ORDER BY a.id`, windowID)
}

func (db *DB) queryAnnotations(query string, args ...any) ([]Annotation, error) {
	rows, err := db.sql.Query(query, args...)
	if err != nil {
		return nil, db.errorf("reading annotations: %w", err)
	}
	defer rows.Close()
	var out []Annotation
	for rows.Next() {
		var a Annotation
		var typ int
		var created string
		if err := rows.Scan(&a.ID, &a.RecordingID, &a.File, &a.StartSeconds, &a.EndSeconds, &a.Label, &typ, &a.Provenance, &created); err != nil {
			return nil, db.errorf("reading annotations: %w", err)
		}
		a.Type = LabelType(typ)
		if a.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
			return nil, db.errorf("annotation %d: time %q: %w", a.ID, created, err)
		}
		out = append(out, a)
	}
	return out, db.wrap(rows.Err(), "reading annotations")
}

// embeddingsQuery reads every window of a model with its embedding, in id
// order, found through windows_keys (see batchQuery).
const embeddingsQuery = `SELECT w.id, r.file, w.start_seconds, w.end_seconds, w.embedding
		FROM windows w INDEXED BY windows_keys JOIN recordings r ON r.id = w.recording_id WHERE w.model_id = ? ORDER BY w.id`

// Embeddings returns every window of model, in window id order, as lib/embed's
// embeddings with their keys (file, start, end) and the model's name.
func (db *DB) Embeddings(model Model) (*embed.Embeddings, error) {
	rows, err := db.sql.Query(embeddingsQuery, model.ID)
	if err != nil {
		return nil, db.errorf("reading the embeddings of model %s: %w", model.Name, err)
	}
	defer rows.Close()
	out := &embed.Embeddings{Model: model.Name}
	for rows.Next() {
		var id int64
		var k embed.Key
		var blob []byte
		if err := rows.Scan(&id, &k.File, &k.StartSeconds, &k.EndSeconds, &blob); err != nil {
			return nil, db.errorf("reading the embeddings of model %s: %w", model.Name, err)
		}
		v, err := decodeEmbedding(blob, model.Dim)
		if err != nil {
			return nil, db.errorf("window %d: %w", id, err)
		}
		out.Keys, out.Vectors = append(out.Keys, k), append(out.Vectors, v)
	}
	return out, db.wrap(rows.Err(), "reading the embeddings of model %s", model.Name)
}

// Export writes every window of model as prefix.npy (an n × dim float32
// array) and prefix.csv (its keys: file,start_time,end_time), lib/embed's
// export format, which numpy.load and Python tools read.
func (db *DB) Export(model Model, prefix string) error {
	e, err := db.Embeddings(model)
	if err != nil {
		return err
	}
	if e.Len() == 0 {
		return db.errorf("no windows of model %s to export", model.Name)
	}
	return e.Save(prefix)
}
