package transfer

// SizesOf returns the training-set sizes Run uses for method m: SizesFor[m]
// when set, else Sizes, else the default sizes.
func (o Options) SizesOf(m Method) []int {
	return o.withDefaults(nil).sizesFor(m)
}

// SeedsOf returns the seeds Run uses for method m: SeedsFor[m] when set, else
// Seeds, else the default seeds.
func (o Options) SeedsOf(m Method) []uint64 {
	return o.withDefaults(nil).seedsFor(m)
}
