package dataset

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/train"
)

// LabelKind chooses how Batches encodes labels.
type LabelKind int

const (
	// MultiHot labels are float32 [batch, classes], 1 where a class is present (for
	// a sigmoid output).
	MultiHot LabelKind = iota
	// ClassIndex labels are int32 [batch, 1], the single class of each row (for a
	// softmax output); every row must have exactly one class.
	ClassIndex
)

// BatchOptions configures Batches.
type BatchOptions struct {
	// Name identifies the data set in GoMLX logs.
	Name string
	// BatchSize is the number of rows per batch (> 0).
	BatchSize int
	// Shuffle reorders the rows every epoch with a seeded generator.
	Shuffle bool
	// Seed determines the shuffles: epoch e uses the seed and e.
	Seed uint64
	// Loop makes Yield go on forever (for Loop.RunSteps); otherwise it returns
	// io.EOF at the end of each epoch, and Reset starts the next.
	Loop bool
	// DropLast drops a final batch smaller than BatchSize, so shapes never change.
	DropLast bool
	// Labels chooses the label encoding.
	Labels LabelKind
}

// Batches serves rows of a label table to GoMLX training: it implements
// train.Dataset. Inputs are one float32 tensor [batch, dims...] assembled from
// Features(row), which must return len = product(dims) values for every row.
type Batches struct {
	table    *LabelTable
	rows     []int
	dims     []int
	features func(row int) ([]float32, error)
	o        BatchOptions
	order    []int
	pos      int
	epoch    uint64
}

var _ train.Dataset = (*Batches)(nil)

// NewBatches returns batches over rows (all when nil) of t. dims is the shape of
// one example's features.
func NewBatches(t *LabelTable, rows []int, dims []int, features func(row int) ([]float32, error), o BatchOptions) (*Batches, error) {
	if o.BatchSize < 1 {
		return nil, fmt.Errorf("dataset: batch size %d, want ≥ 1", o.BatchSize)
	}
	if len(dims) == 0 {
		return nil, fmt.Errorf("dataset: feature dimensions are empty")
	}
	var all []int
	each(t, rows, func(i int) { all = append(all, i) })
	if len(all) == 0 {
		return nil, fmt.Errorf("dataset: no rows to batch")
	}
	if o.Labels == ClassIndex {
		for _, i := range all {
			if t.Rows[i].ClassOf() < 0 {
				return nil, fmt.Errorf("dataset: row %d (%s %v–%v s) does not have exactly one class, so it has no class index", i, t.Rows[i].File, t.Rows[i].StartSeconds, t.Rows[i].EndSeconds)
			}
		}
	}
	if o.Name == "" {
		o.Name = "dataset"
	}
	b := &Batches{table: t, rows: all, dims: append([]int(nil), dims...), features: features, o: o}
	b.Reset()
	b.epoch = 0
	b.newOrder()
	return b, nil
}

// Name implements train.Dataset.
func (b *Batches) Name() string { return b.o.Name }

// Reset implements train.Dataset: it starts the next epoch.
func (b *Batches) Reset() {
	b.epoch++
	b.newOrder()
}

func (b *Batches) newOrder() {
	b.order = append(b.order[:0], b.rows...)
	b.pos = 0
	if b.o.Shuffle {
		rng := rand.New(rand.NewPCG(b.o.Seed, b.epoch))
		rng.Shuffle(len(b.order), func(i, j int) { b.order[i], b.order[j] = b.order[j], b.order[i] })
	}
}

// NextRows returns the row indices of the next batch (what Yield will turn into
// tensors), or io.EOF at the end of an epoch when not looping.
func (b *Batches) NextRows() ([]int, error) {
	left := len(b.order) - b.pos
	if left == 0 || (b.o.DropLast && left < b.o.BatchSize) {
		if !b.o.Loop {
			return nil, io.EOF
		}
		b.Reset()
		left = len(b.order)
		if b.o.DropLast && left < b.o.BatchSize {
			return nil, fmt.Errorf("dataset: %d rows cannot fill one batch of %d with DropLast", left, b.o.BatchSize)
		}
	}
	n := min(left, b.o.BatchSize)
	rows := b.order[b.pos : b.pos+n]
	b.pos += n
	return rows, nil
}

// Yield implements train.Dataset: spec is nil, inputs one float32 tensor
// [batch, dims...], labels one tensor as LabelKind says.
func (b *Batches) Yield() (spec any, inputs, labels []*tensors.Tensor, err error) {
	rows, err := b.NextRows()
	if err != nil {
		return nil, nil, nil, err
	}
	size := 1
	for _, d := range b.dims {
		size *= d
	}
	x := make([]float32, 0, len(rows)*size)
	for _, i := range rows {
		f, err := b.features(i)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("dataset: features of row %d (%s): %w", i, b.table.Rows[i].File, err)
		}
		if len(f) != size {
			return nil, nil, nil, fmt.Errorf("dataset: features of row %d (%s) have %d values, want %d (shape %v)", i, b.table.Rows[i].File, len(f), size, b.dims)
		}
		x = append(x, f...)
	}
	input := tensors.FromFlatDataAndDimensions(x, append([]int{len(rows)}, b.dims...)...)
	var label *tensors.Tensor
	if b.o.Labels == ClassIndex {
		y := make([]int32, len(rows))
		for k, i := range rows {
			y[k] = int32(b.table.Rows[i].ClassOf())
		}
		label = tensors.FromFlatDataAndDimensions(y, len(rows), 1)
	} else {
		nc := len(b.table.Classes)
		y := make([]float32, len(rows)*nc)
		for k, i := range rows {
			for c, l := range b.table.Rows[i].Labels {
				y[k*nc+c] = float32(l)
			}
		}
		label = tensors.FromFlatDataAndDimensions(y, len(rows), nc)
	}
	return nil, []*tensors.Tensor{input}, []*tensors.Tensor{label}, nil
}
