// Package assignment turns an instructor's solution of a weekly assignment into the
// student's version, and grades a version by running its checks.
//
// An assignment is a Go package under lessons/assignments/NN-slug/ (the instructor's
// version, which the repo's tests run, so the solution is known to pass). Inside its
// .go files, the parts a student writes sit between two marker lines, as in nbgrader:
//
//	// BEGIN SOLUTION
//	...the instructor's code...
//	// END SOLUTION
//
// Student turns each region into a stub: a comment saying what to write (the text
// after "BEGIN SOLUTION", if any) and a panic("not implemented: ...") with the
// region's indentation, then drops the imports only the solution used, so the
// student's version compiles. The student's version lives in
// notebooks/_assignments/NN-slug/ (the leading underscore keeps `go test ./...` off
// it: its checks fail until the student writes the code).
//
// Checks are ordinary tests in *_test.go files of the package; a comment line
// "// points: N" in a test function's doc comment gives its weight. Grade runs
// `go test -json` on a version and adds up the points of the checks that passed.
package assignment
