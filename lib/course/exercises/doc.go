// Package exercises holds what the lessons' self-check cells compare a student's answers
// with, so that such a cell is the student's answers and one call:
//
//	exercises.Lesson01{
//		R0097RateHz: 22050, // exercise 1: r0097's sample rate (Hz)
//		…
//	}.MustCheck()
//
// Each lesson with checkable exercises has one type, LessonNN, whose fields are its
// answers (a zero field is an exercise not done yet: its check says "not yet"), and two
// methods: CheckTo(w) prints one lib/selfcheck line per answer to w and returns an error
// only when the course's data cannot be read (naming the file); MustCheck prints to the
// cell's output and panics on such an error, as the lessons' other Must… calls do.
//
// The expected values are computed here, from the library and the course's data sets,
// with the options the exercise names, never typed in: a student who edits the lesson's
// cells does not move them, and reading the check does not give the answer away.
// A value the notebook computed (a trained network, a table of scores) is passed in
// where the exercise is about it. Datasets is where the data sets are found: the
// notebooks run in notebooks/, so it defaults to "../datasets"; the tests set it to the
// repository's copy.
//
// This is the one package under lib/course that a notebook cell imports: it is the
// course's content, not its tooling, and nothing outside lib/course imports it.
package exercises

// Datasets is the directory that holds the course's data sets (synth-birds, formats, …),
// relative to the notebook's working directory.
var Datasets = "../datasets"
