#!/bin/bash
# Regenerates the executed-notebook fixtures of lib/course/notebook's verifier tests from
# testdata/fixtures/*.md: each is turned into a notebook (lib/course/cmd/notebooks write), run
# by the real GoNB kernel (lib/course/cmd/notebooks execute, which records the run's CPU time)
# and saved as testdata/NN-name.ipynb. Run `make nbfixtures` from the repository root
# (after `make setup`), which sets the kernel's paths.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
# The notebooks run from a directory just below the repository's root, as notebooks/
# does: their setup cell points the kernel at "${GONB_DIR}/..".
tmp=_nbfixtures
rm -rf "$tmp"
go run ./lib/course/cmd/notebooks write -lessons lib/course/notebook/testdata/fixtures -out "$tmp"
for nb in "$tmp"/*.ipynb; do
	go run ./lib/course/cmd/notebooks execute -jupyter "${JUPYTER:-/usr/bin/jupyter}" -out lib/course/notebook/testdata "$nb"
	rm -f "lib/course/notebook/testdata/$(basename "$nb" .ipynb).log"
done
rm -rf "$tmp"
