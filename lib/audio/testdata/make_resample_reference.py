#!/usr/bin/python3
"""Reference values for lib/audio's Resampler, computed with scipy.signal.resample_poly.

Run from the repository root with Debian's interpreter (python3-scipy, python3-numpy):

    /usr/bin/python3 lib/audio/testdata/make_resample_reference.py

It writes lib/audio/testdata/resample_poly.json next to itself; the Go test
(TestResampleMatchesScipy) reads it and needs no Python. Each case holds its input
(seeded noise plus a tone, float32 values), the two rates, the filter design and
scipy's output, computed in float64 with padtype='constant' (zeros outside the
signal, as the Go stream assumes).

Designs: "dawnchorus" is the Resampler's own (32 zero crossings, cut-off 0.92 of
the lower Nyquist frequency, Kaiser beta 7.86): the filter comes from scipy's
firwin with those values and is passed to resample_poly as its window array.
"scipy-default" is resample_poly's default filter (window=('kaiser', 5.0), 10 zero
crossings, cut-off at the Nyquist frequency), designed by scipy alone.
"""

import json
import math
import os

import numpy as np
import scipy
from scipy.signal import firwin, resample_poly

DESIGNS = {
    "dawnchorus": dict(zero_crossings=32, rolloff=0.92, beta=7.86),
    "scipy-default": dict(zero_crossings=10, rolloff=1.0, beta=5.0),
}

CASES = [
    (32000, 22050, "dawnchorus", 1500),
    (44100, 16000, "dawnchorus", 1500),
    (16000, 44100, "dawnchorus", 600),
    (48000, 22050, "dawnchorus", 1500),
    (8000, 12000, "dawnchorus", 500),
    (44100, 16000, "scipy-default", 1500),
    (32000, 22050, "scipy-default", 1500),
]


def main():
    rng = np.random.default_rng(20261206)
    cases = []
    for from_hz, to_hz, design, n in CASES:
        g = math.gcd(from_hz, to_hz)
        up, down = to_hz // g, from_hz // g
        t = np.arange(n) / from_hz
        x = (0.3 * rng.standard_normal(n) + 0.5 * np.sin(2 * np.pi * 1234.5 * t + 0.3)).astype(np.float32)
        d = DESIGNS[design]
        if design == "scipy-default":
            y = resample_poly(x.astype(np.float64), up, down, window=("kaiser", d["beta"]), padtype="constant")
        else:
            max_rate = max(up, down)
            half_len = d["zero_crossings"] * max_rate
            h = firwin(2 * half_len + 1, d["rolloff"] / max_rate, window=("kaiser", d["beta"]))
            y = resample_poly(x.astype(np.float64), up, down, window=h, padtype="constant")
        cases.append({
            "from_hz": from_hz, "to_hz": to_hz, "design": design, **d,
            "input": [float("%.9g" % v) for v in x],
            "output": [float("%.9g" % v) for v in y],
        })
    out = {"generator": "lib/audio/testdata/make_resample_reference.py",
           "scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resample_poly.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
