#!/bin/sh
# Writes datasets/formats/: one recording of datasets/synth-birds encoded as Ogg Vorbis,
# for lesson 01 to load beside the WAV it came from. Run from the repository root after
# `make` has generated datasets/synth-birds (needs sox with libsox-fmt-all, which encodes
# Vorbis through the reference libvorbis):
#
#     sh datasets/formats/make.sh
#
# Quality 0 (about 45 kb/s) keeps the committed file small (about 18 KB); -R makes sox
# repeatable. The file is committed so that `make test` needs no encoder.
set -eu
src=datasets/synth-birds/audio/r0040_dysaeicola_phaeens_i0.wav
sox -R "$src" -C 0 datasets/formats/r0040_dysaeicola_phaeens_i0.ogg
soxi datasets/formats/r0040_dysaeicola_phaeens_i0.ogg
