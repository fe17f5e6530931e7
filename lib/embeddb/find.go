package embeddb

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// FindModel returns the model of that name and settings (as AddModel stores
// them: JSON, keys sorted), and whether the database knows it; it adds nothing.
func (db *DB) FindModel(name string, settings any) (Model, bool, error) {
	js, err := json.Marshal(settings)
	if err != nil {
		return Model{}, false, fmt.Errorf("embeddb: model %s: settings: %w", name, err)
	}
	m := Model{Name: name, Settings: string(js)}
	err = db.sql.QueryRow("SELECT id, dim FROM models WHERE name = ? AND settings = ?", name, m.Settings).Scan(&m.ID, &m.Dim)
	if errors.Is(err, sql.ErrNoRows) {
		return Model{}, false, nil
	}
	if err != nil {
		return Model{}, false, db.errorf("finding model %s: %w", name, err)
	}
	return m, true, nil
}

// Recording returns the recording whose key is file, and whether there is one.
func (db *DB) Recording(file string) (Recording, bool, error) {
	all, err := db.recordingsWhere("WHERE file = ?", file)
	if err != nil || len(all) == 0 {
		return Recording{}, false, err
	}
	return all[0], true, nil
}
