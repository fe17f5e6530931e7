#!/bin/sh
# Writes the compressed members of the odd-input set (lib/internal/oddinputs) and
# what sox reads from them. Run from this directory (needs sox with libsox-fmt-all,
# lame and espeak-ng, which the Makefile installs):
#
#     sh make.sh
#
# The WAV members, the tables, and every cut or damaged copy are written by the test
# itself, in Go, at test time (oddinputs.go); only these files need encoders.
# figures.json records, for each file, sox's sample rate, channels and frame count
# (soxi) and the RMS amplitude of the mono mix (sox's stat effect), for the test to
# compare with lib/audio's decode.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every file is a little longer than one 3 s clip (by at most 0.1 s after decoding),
# so that it gives exactly one clip whatever rule keeps or drops a short final part.

# FLAC: 3.05 s of a 440 Hz tone at amplitude 0.5, 16-bit mono at 8 kHz.
sox -R -n -r 8000 -c 1 -b 16 "$tmp/a.wav" synth 3.05 sine 440 vol 0.5
sox -R "$tmp/a.wav" tone_8000_mono.flac

# MP3, MPEG-1 (44.1 kHz stereo, 32 kb/s) and MPEG-2 (16 kHz mono, 16 kb/s): 3 s of
# tones, which decode to a little more (the encoder's delay and padding).
sox -R -n -r 44100 -c 2 -b 16 "$tmp/b.wav" synth 3 sine 440 sine 660 vol 0.5
lame --quiet -b 32 --resample 44.1 "$tmp/b.wav" tone_44100_stereo.mp3
sox -R -n -r 16000 -c 1 -b 16 "$tmp/c.wav" synth 3 sine 440 vol 0.5
lame --quiet -b 16 "$tmp/c.wav" tone_16000_mono.mp3

# Ogg Vorbis: 3.05 s of the same stereo tones, quality 0.
sox -R -n -r 44100 -c 2 -b 16 "$tmp/d.wav" synth 3.05 sine 440 sine 660 vol 0.5
sox -R "$tmp/d.wav" -C 0 tone_44100_stereo.ogg

# Speech, not a bird: espeak-ng's voice (22050 Hz mono), its first 3.05 s, as Ogg Vorbis.
espeak-ng -s 150 -w "$tmp/speech.wav" "The dawn chorus begins before sunrise, when the birds sing."
sox -R "$tmp/speech.wav" -C 0 speech_espeak.ogg trim 0 3.05

{
	echo "{"
	first=1
	for f in tone_8000_mono.flac tone_44100_stereo.mp3 tone_16000_mono.mp3 tone_44100_stereo.ogg speech_espeak.ogg; do
		rate=$(soxi -r "$f")
		channels=$(soxi -c "$f")
		frames=$(soxi -s "$f")
		rms=$(sox "$f" -n remix - stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
		[ $first = 1 ] || echo ","
		first=0
		printf ' "%s": {"rate_hz": %s, "channels": %s, "frames": %s, "rms": %s}' "$f" "$rate" "$channels" "$frames" "$rms"
	done
	echo
	echo "}"
} > figures.json
cat figures.json
