#!/usr/bin/python3
"""Exports tones.onnx: a waveform model with its own class outputs (like BirdNET's), whose
logits are a closed-form function of the clip, for the tests of an external model's
`classes`, `scores` and `activation` keys (lib/zoo and `dawnchorus analyze -model-scores`).

Run from the repository root with Debian's python3-torch (PyTorch 1.13's exporter, opset 13):

    /usr/bin/python3 lib/zoo/testdata/make_onnx_tones.py

It writes, next to this script, tones.onnx: input "audio" [batch, 16000] (1 s at 16 kHz);
for each of the tone frequencies F = 1000, 2000, 3000 Hz, a Conv1d with the cosine and sine
kernels of F over non-overlapping frames of L = 160 samples (rectangular window, stride L),
the frame's power c^2 + s^2, scaled by (2/L)^2 (a tone of amplitude A at F gives A^2), the
mean over the 100 frames P_F, then

    "embedding" [batch, 3] = log(P_F + 1e-4)
    "logits"    [batch, 3] = 2 * embedding + 3
    "probs"     [batch, 3] = sigmoid(logits)
    "frame_logits" [batch, 3, 100] = 2 * log(power + 1e-4) + 3, per frame (before the mean):
                   class outputs with a time axis, for the tests of `scores_pooling`

The weights are fixed (no random draw), so a Go test computes the same values from the
formula above without any file of reference outputs: tonesLogits in lib/zoo's tests.
"""
import math
import os
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
RATE, SAMPLES, FRAME = 16000, 16000, 160
TONES_HZ = [1000.0, 2000.0, 3000.0]


class Tones(nn.Module):
    def __init__(self):
        super().__init__()
        n = np.arange(FRAME)
        cos = np.stack([np.cos(2 * math.pi * f * n / RATE) for f in TONES_HZ])[:, None, :]
        sin = np.stack([np.sin(2 * math.pi * f * n / RATE) for f in TONES_HZ])[:, None, :]
        self.register_buffer("cos", torch.from_numpy(cos.astype(np.float32)))
        self.register_buffer("sin", torch.from_numpy(sin.astype(np.float32)))

    def forward(self, audio):
        x = audio.unsqueeze(1)  # [b, 1, samples]
        c = nn.functional.conv1d(x, self.cos, stride=FRAME)  # [b, 3, frames]
        s = nn.functional.conv1d(x, self.sin, stride=FRAME)
        power = (c.pow(2) + s.pow(2)) * (2.0 / FRAME) ** 2
        embedding = torch.log(power.mean(dim=2) + 1e-4)
        logits = 2 * embedding + 3
        frame_logits = 2 * torch.log(power + 1e-4) + 3
        return embedding, logits, torch.sigmoid(logits), frame_logits


def main():
    path = os.path.join(HERE, "tones.onnx")
    names = ["embedding", "logits", "probs", "frame_logits"]
    torch.onnx.export(
        Tones().eval(), torch.zeros(2, SAMPLES), path, opset_version=13, input_names=["audio"],
        output_names=names, dynamic_axes={n: {0: "batch"} for n in ["audio"] + names},
        do_constant_folding=False)
    print("wrote", path, os.path.getsize(path), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
