#!/usr/bin/python3
"""The peer of benchspectro: decode a WAV and compute its mel power spectrogram
with scipy.signal and a numpy mel projection. Prints one JSON line of timings.

    /usr/bin/python3 bench_scipy.py FILE.wav NFFT HOP NMELS REPEATS

Needs Debian's python3-scipy and python3-numpy. The mel filterbank is librosa's
Slaney formula written in numpy (librosa is not in Debian); it is built once,
outside the timed region, as the Go side builds its filterbank outside too.
"""
import json
import sys
import time

import numpy as np
from scipy import signal
from scipy.io import wavfile


def hz_to_mel(f):
    f = np.asanyarray(f, dtype=float)
    lin = f / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, lin)


def mel_to_hz(m):
    m = np.asanyarray(m, dtype=float)
    lin = m * (200.0 / 3)
    log = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0))
    return np.where(m >= 15.0, log, lin)


def mel_filters(sr, nfft, n_mels):
    fftfreqs = np.linspace(0, sr / 2, 1 + nfft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(sr / 2), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


def main():
    path, nfft, hop, n_mels, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rate, _ = wavfile.read(path, mmap=True)
    fb = mel_filters(rate, nfft, n_mels)
    win = signal.get_window("hann", nfft).astype(np.float32)
    best = {"decode_s": float("inf"), "mel_s": float("inf"), "total_s": float("inf")}
    frames = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        rate, data = wavfile.read(path)
        x = data.astype(np.float32) / 32768.0
        t1 = time.perf_counter()
        _, _, z = signal.stft(x, fs=rate, window=win, nperseg=nfft, noverlap=nfft - hop,
                              boundary=None, padded=False, scaling="spectrum")
        power = z.real ** 2 + z.imag ** 2
        mel = fb @ power
        t2 = time.perf_counter()
        frames = mel.shape[1]
        best["decode_s"] = min(best["decode_s"], t1 - t0)
        best["mel_s"] = min(best["mel_s"], t2 - t1)
        best["total_s"] = min(best["total_s"], t2 - t0)
        del z, power, mel, x, data
    best.update(frames=frames, samples=int(len(wavfile.read(path, mmap=True)[1])), rate=rate)
    print(json.dumps(best))


if __name__ == "__main__":
    main()
