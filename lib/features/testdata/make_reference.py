#!/usr/bin/python3
"""Writes dct_in.csv and dct_out.csv: a seeded 5×20 matrix and scipy.fft.dct of
each row (type 2, norm="ortho"), the reference for features.DCT2.

    /usr/bin/python3 make_reference.py   (python3-scipy, python3-numpy)
"""
import numpy as np
from scipy.fft import dct

x = np.random.default_rng(7).normal(-40, 15, size=(5, 20))
np.savetxt("dct_in.csv", x, fmt="%.17g", delimiter=",")
np.savetxt("dct_out.csv", dct(x, type=2, norm="ortho", axis=1), fmt="%.17g", delimiter=",")
