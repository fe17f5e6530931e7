package zoo

import "github.com/dawnchorus/dawnchorus/lib/pretrain"

// ShippedRecord returns a shipped network's training record (record.json, decoded): its
// configuration, how it was trained and its final validation accuracy (FinalValAcc, a
// fraction). Record gives the same file as bytes.
func ShippedRecord(name string) (pretrain.Record, error) { return shippedRecord(name) }

// MustShippedRecord is ShippedRecord that panics on an error, for notebooks.
func MustShippedRecord(name string) pretrain.Record {
	rec, err := shippedRecord(name)
	if err != nil {
		panic(err)
	}
	return rec
}
