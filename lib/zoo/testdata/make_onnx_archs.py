#!/usr/bin/python3
"""Exports small networks shaped like the models researchers bring (BirdNET, Perch) to ONNX,
from seeded random weights, with PyTorch's outputs for the Go tests to match within 1e-4.

Run from the repository root with Debian's python3-torch (PyTorch 1.13's exporter, opset 13):

    /usr/bin/python3 lib/zoo/testdata/make_onnx_archs.py

It writes, next to this script (each .onnx a few tens of KB):

  effnet.onnx      EfficientNet-style: stem conv, BN, SiLU; two MBConv blocks (1x1 expansion,
                   depthwise 3x3 conv, squeeze-excitation with SiLU and a sigmoid gate, 1x1
                   projection, a residual add in the second); 1x1 head conv, SiLU; mean over
                   time and frequency -> "embedding" [batch, 48]; linear -> "logits" [batch, 5].
                   Input "image" [batch, 1, 130, 64] (lib/spectro's FrontEnd image, time x mel).
                   SiLU exports as Sigmoid and Mul.
  resnet.onnx      ResNet: conv, BN, ReLU, max pool; two basic blocks (the second with stride 2
                   and a 1x1 projection shortcut); global average pool, flatten -> "embedding"
                   [batch, 32]; linear -> "logits". Same input as effnet.
  melnet.onnx      a waveform model with its own front end inside: input "audio" [batch, 16000]
                   (1 s at 16 kHz); STFT as a Conv1d with Hann-windowed cosine and sine kernels
                   (NFFT 128, hop 64), power by Pow, a mel matrix (32 bands, 50-8000 Hz, HTK) by
                   MatMul, log(power + 1e-6) -> "logmel" [batch, frames, 32]; a conv block ->
                   "embedding" [batch, 16].
  acts.onnx        a conv (stride 4), then LeakyRelu(0.1), HardSigmoid, HardSwish and Sigmoid, each pooled by
                   mean -> "embedding" [batch, 16] (opset 14, which has HardSwish): the ops lib/zoo
                   rewrites into ones onnx-gomlx converts.
  softplus.onnx    a conv and a Softplus, an op onnx-gomlx does not convert: for the error test.
  archs_outputs.json  PyTorch's embeddings (and logits) for test_images() of make_onnx_model.py
                   (effnet, resnet, acts) and for melnet_waveforms() below (melnet), and melnet's
                   log-mel frames pooled by mean over time.

The Go test (onnx_archs_test.go) rebuilds the same inputs from the same integer formulas.
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_onnx_model import HERE, test_images, with_batchnorm_stats as seeded  # noqa: E402

SEED = 20261206
NUM_CLASSES = 5
MEL_RATE, MEL_SAMPLES, MEL_NFFT, MEL_HOP, MEL_BANDS = 16000, 16000, 128, 64, 32


def bn(n):
    return nn.BatchNorm2d(n)


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduced):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.reduce = nn.Conv2d(channels, reduced, 1)
        self.expand = nn.Conv2d(reduced, channels, 1)

    def forward(self, x):
        s = self.pool(x)
        s = nn.functional.silu(self.reduce(s))
        return x * torch.sigmoid(self.expand(s))


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, stride):
        super().__init__()
        mid = cin * expand
        self.expand = nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), bn(mid), nn.SiLU())
        self.depthwise = nn.Sequential(nn.Conv2d(mid, mid, 3, stride=stride, padding=1, groups=mid, bias=False), bn(mid), nn.SiLU())
        self.se = SqueezeExcite(mid, max(1, cin // 4))
        self.project = nn.Sequential(nn.Conv2d(mid, cout, 1, bias=False), bn(cout))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.project(self.se(self.depthwise(self.expand(x))))
        return x + y if self.residual else y


class EffNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1, bias=False), bn(16), nn.SiLU())
        self.block1 = MBConv(16, 24, 4, 2)
        self.block2 = MBConv(24, 24, 4, 1)
        self.head = nn.Sequential(nn.Conv2d(24, 48, 1, bias=False), bn(48), nn.SiLU())
        self.fc = nn.Linear(48, NUM_CLASSES)

    def forward(self, image):
        x = self.head(self.block2(self.block1(self.stem(image))))
        embedding = x.mean(dim=(2, 3))
        return embedding, self.fc(embedding)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = bn(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = bn(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), bn(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = x if self.shortcut is None else self.shortcut(x)
        return torch.relu(y + s)


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), bn(16), nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1))
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, NUM_CLASSES)

    def forward(self, image):
        x = self.layer2(self.layer1(self.stem(image)))
        embedding = torch.flatten(self.pool(x), 1)
        return embedding, self.fc(embedding)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def mel_matrix(rate, nfft, bands, fmin, fmax):
    """[nfft/2+1, bands] triangular HTK mel filters (peak 1)."""
    freqs = np.arange(nfft // 2 + 1) * rate / nfft
    mels = np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), bands + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    w = np.zeros((nfft // 2 + 1, bands), dtype=np.float64)
    for b in range(bands):
        lo, mid, hi = hz[b], hz[b + 1], hz[b + 2]
        up = (freqs - lo) / (mid - lo)
        down = (hi - freqs) / (hi - mid)
        w[:, b] = np.maximum(0, np.minimum(up, down))
    return w.astype(np.float32)


class MelNet(nn.Module):
    """Waveform in; STFT (Conv1d with fixed DFT kernels), power, mel, log; a conv block; mean."""

    def __init__(self):
        super().__init__()
        n = np.arange(MEL_NFFT)
        k = np.arange(MEL_NFFT // 2 + 1)[:, None]
        window = 0.5 - 0.5 * np.cos(2 * math.pi * n / MEL_NFFT)
        cos = window * np.cos(2 * math.pi * k * n / MEL_NFFT)
        sin = -window * np.sin(2 * math.pi * k * n / MEL_NFFT)
        kernels = np.concatenate([cos, sin])[:, None, :].astype(np.float32)  # [2*bins, 1, nfft]
        self.register_buffer("dft", torch.from_numpy(kernels))
        self.register_buffer("mel", torch.from_numpy(mel_matrix(MEL_RATE, MEL_NFFT, MEL_BANDS, 50.0, 8000.0)))
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), bn(16), nn.ReLU(), nn.MaxPool2d(2))

    def forward(self, audio):
        spec = nn.functional.conv1d(audio.unsqueeze(1), self.dft, stride=MEL_HOP)  # [b, 2*bins, frames]
        bins = MEL_NFFT // 2 + 1
        power = spec[:, :bins].pow(2) + spec[:, bins:].pow(2)
        logmel = torch.log(torch.matmul(power.transpose(1, 2), self.mel) + 1e-6)  # [b, frames, mels]
        x = self.conv(logmel.unsqueeze(1))
        return x.mean(dim=(2, 3)), logmel


class SoftplusNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)

    def forward(self, image):
        return nn.functional.softplus(self.conv(image)).mean(dim=(2, 3))


class ActsNet(nn.Module):
    """A conv, then each activation lib/zoo rewrites, pooled by mean and concatenated.
    The conv's stride 4 keeps the means short (33 x 16 values): the pure-Go engine sums
    float32 in order, about 1e-4 off PyTorch's mean over a full 130 x 64 image."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=4, padding=1)

    def forward(self, image):
        x = 4 * self.conv(image)  # a wider range, to reach both saturations
        acts = [nn.functional.leaky_relu(x, 0.1), nn.functional.hardsigmoid(x), nn.functional.hardswish(x), torch.sigmoid(x)]
        return torch.cat([a.mean(dim=(2, 3)) for a in acts], dim=1)


def melnet_waveforms():
    """Three clips [3, 16000] from integer formulas; the Go test computes the same:
    a hash-like noise, a 1 kHz-ish square-ish ramp, and silence."""
    i = np.arange(MEL_SAMPLES, dtype=np.int64)
    a = ((i * 7919) % 2000 - 1000).astype(np.float32) / np.float32(1000)
    b = ((i % 16) - 8).astype(np.float32) / np.float32(10)
    return np.stack([a, b, np.zeros(MEL_SAMPLES, dtype=np.float32)])


def export(model, dummy, name, input_name, output_names, opset=13):
    path = os.path.join(HERE, name)
    torch.onnx.export(
        model, dummy, path, opset_version=opset, input_names=[input_name], output_names=output_names,
        dynamic_axes={n: {0: "batch"} for n in [input_name] + output_names}, do_constant_folding=False,
        training=torch.onnx.TrainingMode.PRESERVE)  # PRESERVE keeps BatchNormalization (EVAL folds it into Conv)
    print("wrote", path, os.path.getsize(path), "bytes", file=sys.stderr)


def main():
    torch.set_num_threads(1)
    images = torch.from_numpy(test_images())
    out = {"torch": torch.__version__}

    torch.manual_seed(SEED)
    effnet = seeded(EffNet())
    export(effnet, torch.zeros(2, 1, 130, 64), "effnet.onnx", "image", ["embedding", "logits"])
    torch.manual_seed(SEED + 1)
    resnet = seeded(ResNet())
    export(resnet, torch.zeros(2, 1, 130, 64), "resnet.onnx", "image", ["embedding", "logits"])
    torch.manual_seed(SEED + 2)
    melnet = seeded(MelNet())
    export(melnet, torch.zeros(2, MEL_SAMPLES), "melnet.onnx", "audio", ["embedding", "logmel"])
    torch.manual_seed(SEED + 3)
    export(SoftplusNet().eval(), torch.zeros(2, 1, 130, 64), "softplus.onnx", "image", ["embedding"])

    torch.manual_seed(SEED + 4)
    acts = ActsNet().eval()
    export(acts, torch.zeros(2, 1, 130, 64), "acts.onnx", "image", ["embedding"], opset=14)  # 14 has HardSwish

    with torch.no_grad():
        out["acts"] = {"embedding": acts(images).numpy().tolist()}
        for name, model in [("effnet", effnet), ("resnet", resnet)]:
            emb, logits = model(images)
            out[name] = {"embedding": emb.numpy().tolist(), "logits": logits.numpy().tolist()}
        emb, logmel = melnet(torch.from_numpy(melnet_waveforms()))
        out["melnet"] = {"embedding": emb.numpy().tolist(), "logmel_mean": logmel.mean(dim=1).numpy().tolist()}
    with open(os.path.join(HERE, "archs_outputs.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
