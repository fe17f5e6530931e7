package pretrain

import "math/rand/v2"

// newRNG returns the generator of clip i's draws.
func newRNG(seed, i uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^i)) }
