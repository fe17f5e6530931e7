package active

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
)

// Noise makes a SimulatedOracle err like a person: WrongRate is the probability of a wrong
// answer (another class drawn uniformly, or Yes for No and back), UnsureRate the
// probability of Unsure. Both are in [0, 1] and sum to at most 1. Seed fixes which clips
// get the wrong or unsure answers.
type Noise struct {
	WrongRate, UnsureRate float64
	Seed                  uint64
}

// SimulatedOracle answers from true labels, for tests, lessons and headless runs. Its
// answer about a clip depends only on the clip's index, its label and Noise, so the
// same clip always gets the same answer, whichever strategy asks and in whatever order.
type SimulatedOracle struct {
	labels     []int
	numClasses int
	target     int
	yesNo      bool
	noise      Noise
	asked      int
}

// NewSimulatedOracle returns an oracle that answers with the class labels[i] of pool clip i
// (classes 0…numClasses−1), altered by noise.
func NewSimulatedOracle(labels []int, numClasses int, noise Noise) (*SimulatedOracle, error) {
	if numClasses < 2 {
		return nil, fmt.Errorf("active: simulated oracle: numClasses is %d; need at least 2", numClasses)
	}
	if err := checkLabels(labels, numClasses); err != nil {
		return nil, err
	}
	if err := noise.check(); err != nil {
		return nil, err
	}
	return &SimulatedOracle{labels: labels, numClasses: numClasses, noise: noise}, nil
}

// NewYesNoOracle returns an oracle for YesNo mode: it answers Yes when labels[i] is
// target and No otherwise, altered by noise.
func NewYesNoOracle(labels []int, target int, noise Noise) (*SimulatedOracle, error) {
	if err := checkLabels(labels, -1); err != nil {
		return nil, err
	}
	if err := noise.check(); err != nil {
		return nil, err
	}
	return &SimulatedOracle{labels: labels, numClasses: 2, target: target, yesNo: true, noise: noise}, nil
}

// MustNewSimulatedOracle is NewSimulatedOracle that panics on an error, for notebooks.
func MustNewSimulatedOracle(labels []int, numClasses int, noise Noise) *SimulatedOracle {
	o, err := NewSimulatedOracle(labels, numClasses, noise)
	if err != nil {
		panic(err)
	}
	return o
}

// MustNewYesNoOracle is NewYesNoOracle that panics on an error, for notebooks.
func MustNewYesNoOracle(labels []int, target int, noise Noise) *SimulatedOracle {
	o, err := NewYesNoOracle(labels, target, noise)
	if err != nil {
		panic(err)
	}
	return o
}

func checkLabels(labels []int, numClasses int) error {
	if len(labels) == 0 {
		return errors.New("active: simulated oracle: no labels")
	}
	for i, y := range labels {
		if y < 0 || (numClasses > 0 && y >= numClasses) {
			return fmt.Errorf("active: simulated oracle: label %d of clip %d is outside [0, %d)", y, i, numClasses)
		}
	}
	return nil
}

func (n Noise) check() error {
	if !(n.WrongRate >= 0 && n.WrongRate <= 1) || !(n.UnsureRate >= 0 && n.UnsureRate <= 1) ||
		n.WrongRate+n.UnsureRate > 1 {
		return fmt.Errorf("active: noise rates wrong %v and unsure %v must lie in [0, 1] and sum to at most 1",
			n.WrongRate, n.UnsureRate)
	}
	return nil
}

// Label implements Oracle.
func (s *SimulatedOracle) Label(ctx context.Context, items []Item) ([]Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	answers := make([]Answer, len(items))
	for k, it := range items {
		if it.Index < 0 || it.Index >= len(s.labels) {
			return nil, fmt.Errorf("active: simulated oracle asked about clip %d; it knows %d clips", it.Index, len(s.labels))
		}
		answers[k] = s.answer(it.Index)
	}
	s.asked += len(items)
	return answers, nil
}

// Asked returns the number of clips the oracle has been asked about.
func (s *SimulatedOracle) Asked() int { return s.asked }

func (s *SimulatedOracle) answer(i int) Answer {
	truth := Answer(s.labels[i])
	if s.yesNo {
		truth = No
		if s.labels[i] == s.target {
			truth = Yes
		}
	}
	if s.noise.WrongRate == 0 && s.noise.UnsureRate == 0 {
		return truth
	}
	rng := rand.New(rand.NewPCG(s.noise.Seed, uint64(i)))
	u := rng.Float64()
	switch {
	case u < s.noise.UnsureRate:
		return Unsure
	case u < s.noise.UnsureRate+s.noise.WrongRate:
		// Another class, uniformly: shift by 1…K−1.
		return Answer((int(truth) + 1 + rng.IntN(s.numClasses-1)) % s.numClasses)
	}
	return truth
}

// PickPerClass draws perClass clip indices of every class from labels, at random (seeded),
// for Options.Initial: the few labels a person starts from. Indices come class by class.
// It fails when a class has fewer than perClass clips.
func PickPerClass(labels []int, numClasses, perClass int, seed uint64) ([]int, error) {
	if perClass < 1 {
		return nil, fmt.Errorf("active: PickPerClass: perClass is %d; need at least 1", perClass)
	}
	if err := checkLabels(labels, numClasses); err != nil {
		return nil, err
	}
	byClass := make([][]int, numClasses)
	for i, y := range labels {
		byClass[y] = append(byClass[y], i)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b9))
	var picked []int
	for c, members := range byClass {
		if len(members) < perClass {
			return nil, fmt.Errorf("active: PickPerClass: class %d has %d clips; need %d", c, len(members), perClass)
		}
		for _, p := range rng.Perm(len(members))[:perClass] {
			picked = append(picked, members[p])
		}
	}
	return picked, nil
}
