// Package selfcheck lets a lesson's exercises check themselves in the notebook. A
// student writes an answer (a number, a word, a function's result) into the
// exercise's cell and runs it; each check prints one line: a pass, or "not yet" with
// a hint that points to the idea, not to the number.
//
//	check := selfcheck.New()
//	check.Near("exercise 2: RMS of 0.5·sin", predicted, 0.5/math.Sqrt2, 0.005,
//		"a sine's RMS is its amplitude divided by √2")
//	check.Done() // "1 of 1 checks pass"
//
// A check never panics and never prints NaN or Inf (an answer that is not a number is
// "not a number"), so a notebook whose exercises are not done yet still runs to the end
// and passes the course's notebook checks. selfcheck imports nothing of the course's
// tooling: it is a small library a cell calls, like lib/plots.
package selfcheck
