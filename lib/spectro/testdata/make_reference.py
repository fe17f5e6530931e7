#!/usr/bin/python3
"""Writes the reference values lib/spectro's tests compare with.

Run from this directory with Debian's interpreter (python3-scipy, python3-numpy):

    /usr/bin/python3 make_reference.py

signal.wav      2048 samples at 16 kHz, float32: a 1 kHz tone (0.5), a 3.3 kHz tone
                (0.2) and seeded Gaussian noise (0.05), written by scipy.io.wavfile.
stft_*.csv      power |X|^2 from scipy.signal.stft (unscaled back by the window sum),
                one row per frame, one column per bin.
mel_*.csv       mel filterbank weights, one row per band, from the formulas of
                librosa.filters.mel (Slaney 1998 and HTK scales; librosa is not in
                Debian, so they are written out here in numpy) and the mel power of
                the hann_512_128 spectrogram.
"""
import numpy as np
from scipy import signal
from scipy.io import wavfile

rate = 16000
n = 2048
rng = np.random.default_rng(20240601)
t = np.arange(n) / rate
x = (0.5 * np.sin(2 * np.pi * 1000 * t) + 0.2 * np.sin(2 * np.pi * 3300 * t + 0.7)
     + 0.05 * rng.standard_normal(n)).astype(np.float32)
wavfile.write("signal.wav", rate, x)
x = x.astype(np.float64)


def save(name, m):
    np.savetxt(name, np.atleast_2d(m), fmt="%.10g", delimiter=",")


def power_stft(window, nfft, hop, center):
    win = signal.get_window(window, nfft)  # periodic, as used for spectral analysis
    _, _, z = signal.stft(x, fs=rate, window=win, nperseg=nfft, noverlap=nfft - hop,
                          boundary="zeros" if center else None, padded=False,
                          scaling="spectrum", return_onesided=True)
    z = z * win.sum()  # undo scipy's 1/sum(window) scaling: plain DFT of the frame
    return (np.abs(z) ** 2).T  # frames × bins


cases = {
    "hann_512_128": ("hann", 512, 128, False),
    "hamming_256_100": ("hamming", 256, 100, False),
    "hann_512_256_center": ("hann", 512, 256, True),
    "blackman_1024_512": ("blackman", 1024, 512, False),
}
for name, (window, nfft, hop, center) in cases.items():
    save(f"stft_{name}.csv", power_stft(window, nfft, hop, center))


def hz_to_mel(f, htk):
    f = np.asanyarray(f, dtype=float)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mels)


def mel_to_hz(m, htk):
    m = np.asanyarray(m, dtype=float)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filters(sr, nfft, n_mels, fmin, fmax, htk, slaney_norm):
    fftfreqs = np.linspace(0, sr / 2, 1 + nfft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if slaney_norm:
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


save("mel_slaney_40_512.csv", mel_filters(rate, 512, 40, 0, 8000, False, True))
save("mel_htk_64_1024.csv", mel_filters(22050, 1024, 64, 300, 10000, True, False))
save("mel_hz_to_mel.csv", np.stack([np.array([0, 200, 700, 1000, 1500, 6400, 10000.0]),
                                      hz_to_mel([0, 200, 700, 1000, 1500, 6400, 10000.0], False),
                                      hz_to_mel([0, 200, 700, 1000, 1500, 6400, 10000.0], True)]))
fb = mel_filters(rate, 512, 40, 0, 8000, False, True)
save("melpower_hann_512_128.csv", power_stft("hann", 512, 128, False) @ fb.T)
