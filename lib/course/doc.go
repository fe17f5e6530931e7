// Package course is the course's own machinery, kept apart from the science: what turns
// lessons into notebooks and assignments into students' versions, what executes and
// checks them, and what renders them as a book. A student's notebook cell imports one
// package from here, exercises (what the self-check cells compare answers with); the
// rest is for the instructors' tools and `make test`.
//
// Its packages:
//
//   - notebook: lessons/NN-slug.md → notebooks/NN-slug.ipynb, and the checks of an
//     executed notebook (errors, NaN, figures, the CPU budget).
//   - assignment: an instructor's assignment → the student's version, wrong solutions,
//     grading by points.
//   - site: the executed notebooks and the assignments → the static book, and its check.
//   - jupyter: `make jupyter` started on a free port for the checks that play a browser
//     (its configuration, copied into build/jupyter/config, is in jupyter/config).
//   - backup: a copy of a file that cmd/notebooks or cmd/assignments is about to
//     overwrite or remove (build/backup/…), so that generating never loses what a
//     person wrote.
//   - exercises: the expected answers of the lessons' self-check cells, computed from
//     the library and the course's data; the one package a notebook cell imports.
//   - subcommand: the `program NAME [flags]` dispatch, usage line and exit statuses that
//     cmd/notebooks and cmd/assignments share.
//   - cmd/notebooks, cmd/assignments, cmd/site: the programs behind `make notebooks`,
//     `make nbsync`, `make nbrun`, `make grade` and `make site`; cmd/servecheck and
//     cmd/browsercheck: the server's and the browser's checks of `make test`.
//
// Who may import whom: packages under lib/course may import any package of the library
// (lib/atomicfile, lib/runrecord, …); no package outside lib/course imports
// one under it (a test of this package holds the library to that), so the library
// builds, tests and ships without the course's tooling.
//
// lib/runrecord is not here: it is a library facility. The science programs (pretrain,
// the benchmarks, transfercheck, learningcurve) record with it which commit made a
// shipped model or a measured number, and the library's own tests read those records;
// the course's tools use it too, as any program may.
package course
