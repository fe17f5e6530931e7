#!/usr/bin/python3
"""Writes the Ogg Vorbis fixtures lib/audio's tests decode, and sox's figures for them.

Run from this directory with Debian's interpreter (needs sox with libsox-fmt-all, which
encodes and decodes Vorbis through the reference libvorbis):

    /usr/bin/python3 make_ogg_fixtures.py

For each file, ogg_sox.json records what sox (libvorbis) reads from it: the sample
rate, the channels, the frames and the RMS amplitude of each channel (sox's `stat`
effect on that channel alone). The test decodes the same files with lib/audio and
compares. The tones are synthesized by sox itself, so the script needs no numpy.
"""
import json
import re
import subprocess

# name: (rate Hz, seconds, one (frequency Hz, amplitude) per channel, quality);
# frequency None is white noise (seeded by sox -R), which costs more bits than a
# tone, so the file has several audio pages to cut between.
SIX = [(300, 0.1), (500, 0.2), (700, 0.3), (900, 0.4), (1100, 0.5), (80, 0.6)]
FIXTURES = {
    "vorbis_mono_22050.ogg": (22050, 2.0, [(None, 0.25)], 0),
    "vorbis_stereo_44100.ogg": (44100, 0.5, [(440, 0.5), (1000, 0.25)], 3),
    # Six channels of distinct levels, so a reordering of channels shows; Vorbis
    # takes the sixth of six as the LFE channel and low-passes it, hence 80 Hz.
    "vorbis_6ch_22050.ogg": (22050, 0.25, SIX, 0),
    # The same at 48 kHz: here libvorbis codes the LFE channel with a floor of no
    # partitions, which the pure-Go decoder cannot read (the test expects a clear
    # ErrUnsupported; sox's figures are kept for the day it can).
    "vorbis_51_48000.ogg": (48000, 0.25, SIX, 0),
}


def sox(*args):
    return subprocess.run(["sox", *args], check=True, capture_output=True, text=True)


def figures(path, channels):
    out = {}
    info = subprocess.run(["soxi", path], check=True, capture_output=True, text=True).stdout
    out["rate_hz"] = int(re.search(r"Sample Rate\s*:\s*(\d+)", info).group(1))
    out["channels"] = int(re.search(r"Channels\s*:\s*(\d+)", info).group(1))
    out["frames"] = int(re.search(r"= (\d+) samples", info).group(1))
    rms = []
    for c in range(1, channels + 1):
        stat = sox(path, "-n", "remix", str(c), "stat").stderr
        rms.append(float(re.search(r"RMS\s+amplitude:\s*([-0-9.e]+)", stat).group(1)))
    out["rms"] = rms
    return out


results = {}
for name, (rate, seconds, tones, quality) in FIXTURES.items():
    src = name.replace(".ogg", "_src.wav")
    synth = []
    for freq, _ in tones:
        synth += ["whitenoise"] if freq is None else ["sine", str(freq)]
    remix = [f"{c + 1}v{amp}" for c, (_, amp) in enumerate(tones)]
    sox("-R", "-n", "-r", str(rate), "-c", str(len(tones)), "-b", "16", src, "synth", str(seconds), *synth, "remix", *remix)
    sox("-R", src, "-C", str(quality), name)
    subprocess.run(["rm", src], check=True)
    results[name] = figures(name, len(tones))

with open("ogg_sox.json", "w") as f:
    json.dump(results, f, indent=1, sort_keys=True)
    f.write("\n")
