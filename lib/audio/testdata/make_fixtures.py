#!/usr/bin/python3
"""Writes the audio fixtures lib/audio's tests decode.

Run from this directory with Debian's interpreter (needs python3-scipy, python3-numpy
and the flac and lame command-line encoders):

    /usr/bin/python3 make_fixtures.py

The WAV files are written by scipy.io.wavfile, an implementation independent of
lib/audio; the FLAC file by the reference `flac` encoder and the MP3 by `lame`.
Each WAV holds a known integer (or float) ramp so the tests can compute the expected
full-scale values by hand.
"""
import subprocess

import numpy as np
from scipy.io import wavfile

rate = 8000
# 100 frames, stereo: left is a ramp over the int16 range, right its negation.
n = 100
ramp16 = np.linspace(-32768, 32767, n).round().astype(np.int16)
stereo16 = np.stack([ramp16, (-ramp16.astype(np.int32)).clip(-32768, 32767).astype(np.int16)], axis=1)
wavfile.write("scipy_pcm16_stereo.wav", rate, stereo16)
wavfile.write("scipy_pcm32_mono.wav", rate, (ramp16.astype(np.int32) << 16) + 12345)
wavfile.write("scipy_u8_mono.wav", rate, np.linspace(0, 255, n).round().astype(np.uint8))
wavfile.write("scipy_f32_mono.wav", rate, (np.arange(n, dtype=np.float32) / 64 - 0.75).astype(np.float32))
wavfile.write("scipy_f64_stereo.wav", rate, np.stack([np.arange(n) / 100.0, -np.arange(n) / 50.0], axis=1))

# FLAC: 0.25 s of 16-bit stereo at 22050 Hz, 440 Hz (left, amplitude 0.5) and
# 880 Hz (right, amplitude 0.25), encoded losslessly; the test compares the decoded
# samples with the same formula, quantized to 16 bits.
rate = 22050
t = np.arange(rate // 4) / rate
left = np.round(0.5 * np.sin(2 * np.pi * 440 * t) * 32768).astype(np.int16)
right = np.round(0.25 * np.sin(2 * np.pi * 880 * t) * 32768).astype(np.int16)
wavfile.write("tone_src.wav", rate, np.stack([left, right], axis=1))
subprocess.run(["flac", "--silent", "--force", "-8", "-o", "tone.flac", "tone_src.wav"], check=True)

# MP3: 0.5 s of a 1 kHz mono tone at 44100 Hz, amplitude 0.5 (lossy: the test checks
# the rate, the length and that the tone's frequency and level survive).
rate = 44100
t = np.arange(rate // 2) / rate
tone = np.round(0.5 * np.sin(2 * np.pi * 1000 * t) * 32767).astype(np.int16)
wavfile.write("mp3_src.wav", rate, tone)
subprocess.run(["lame", "--quiet", "-b", "128", "mp3_src.wav", "tone.mp3"], check=True)
# The same encoding behind an ID3v2 tag (as most MP3s in the wild carry).
subprocess.run(["lame", "--quiet", "-b", "128", "--id3v2-only", "--tt", "dawn chorus", "mp3_src.wav", "tone_id3.mp3"], check=True)
# The reference decoder's output (lame --decode, which also strips the encoder delay),
# for the test to compare go-mp3's samples with.
subprocess.run(["lame", "--quiet", "--decode", "tone.mp3", "tone_mp3_lame.wav"], check=True)
subprocess.run(["rm", "tone_src.wav", "mp3_src.wav"], check=True)
