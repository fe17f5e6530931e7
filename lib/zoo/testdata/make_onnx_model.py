#!/usr/bin/python3
"""Builds the small ONNX test model of lib/zoo and the exporter's reference outputs.

Run from the repository root with Debian's python3-torch and python3-onnx:

    /usr/bin/python3 lib/zoo/testdata/make_onnx_model.py

It writes, next to this script:

  tinycnn.onnx          a seeded 3-block CNN (conv, batch norm in eval mode, ReLU,
                        max pooling), global mean pool -> 32-d embedding, linear head
                        -> 5 logits; input "image" [batch, 1, 130, 64] (time x mel,
                        the shape of lib/spectro's FrontEnd), dynamic batch; outputs
                        "embedding", "logits", "block1", "block2", "block3"
  tinycnn_outputs.json  torch's outputs for the images made by test_images():
                        the embedding, the logits, and block1..3 pooled over time
                        and frequency with mean and with max.

  tinycnn_nhwc_melfirst.onnx  the same network behind an input "spectrogram" laid
                        out [batch, 64 mel, 130 time, 1] (channels last, frequency
                        first), to test FromONNX's layout detection; same outputs
  tinywave.onnx         a waveform model: input "audio" [batch, 66150] (3 s at
                        22050 Hz) -> strided Conv1d -> ReLU -> "frames" [batch, 4,
                        time] -> mean over time -> "embedding" [batch, 4]
  tinywave_outputs.json its embedding and max over time for test_waveforms()

The Go test (onnx_test.go) rebuilds the same images with the same integer formula,
so no image file is committed, and checks that FromONNX's outputs match these.

The architecture is defined in TinyCNN; lib/cmd/benchembed/bench_torch.py imports it
from here to time PyTorch on the same network.
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES, MELS = 130, 64
NUM_CLASSES = 5
SAMPLES = 3 * 22050
SEED = 20261127


class TinyCNN(nn.Module):
    """Three conv blocks, global mean pool (the embedding), a linear head."""

    def __init__(self):
        super().__init__()

        def block(cin, cout, pool):
            layers = [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]
            if pool:
                layers.append(nn.MaxPool2d(2))
            return nn.Sequential(*layers)

        self.block1 = block(1, 8, True)
        self.block2 = block(8, 16, True)
        self.block3 = block(16, 32, False)
        self.head = nn.Linear(32, NUM_CLASSES)

    def forward(self, image):
        b1 = self.block1(image)
        b2 = self.block2(b1)
        b3 = self.block3(b2)
        embedding = b3.mean(dim=(2, 3))
        logits = self.head(embedding)
        return embedding, logits, b1, b2, b3


class NHWCMelFirst(nn.Module):
    """TinyCNN behind a [batch, mel, time, 1] input."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, spectrogram):
        return self.inner(spectrogram.permute(0, 3, 2, 1))


class TinyWave(nn.Module):
    """A waveform model: strided Conv1d frames, ReLU, mean over time."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 512, stride=256)

    def forward(self, audio):
        frames = torch.relu(self.conv(audio.unsqueeze(1)))
        return frames.mean(dim=2), frames


def test_waveforms():
    """Two clips [2, 66150] from integer formulas; the Go test computes the same."""
    i = np.arange(SAMPLES, dtype=np.int64)
    a = ((i * 7919) % 2000 - 1000).astype(np.float32) / np.float32(1000)
    b = ((i % 441) - 220).astype(np.float32) / np.float32(400)
    return np.stack([a, b])


def with_batchnorm_stats(model):
    """model in eval mode, its batch norms given non-trivial statistics and affine
    parameters (make_onnx_archs.py uses it too)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_(torch.linspace(-0.2, 0.3, n))
                m.running_var.copy_(torch.linspace(0.5, 2.0, n))
                m.weight.copy_(torch.linspace(0.8, 1.2, n))
                m.bias.copy_(torch.linspace(-0.1, 0.1, n))
    return model.eval()


def build_model():
    """The seeded model in eval mode, with non-trivial batch-norm statistics."""
    torch.manual_seed(SEED)
    return with_batchnorm_stats(TinyCNN())


def test_images():
    """Four images [4, 1, 130, 64] in [0, 1] from integer formulas (exact in any language):
    a hash-like pattern, a silent (all-zero) image, a smooth ramp, a checkerboard.
    The Go test computes the same values."""
    t = np.arange(FRAMES, dtype=np.int64)[:, None]
    f = np.arange(MELS, dtype=np.int64)[None, :]
    hashed = ((t * 104729 + f * 1299709 + 7919) % 1000).astype(np.float32) / np.float32(999)
    zero = np.zeros((FRAMES, MELS), dtype=np.float32)
    ramp = ((t + 2 * f) % 256).astype(np.float32) / np.float32(255)
    checker = ((t // 4 + f // 4) % 2).astype(np.float32)
    return np.stack([hashed, zero, ramp, checker])[:, None, :, :]


def main():
    torch.set_num_threads(1)
    model = build_model()
    onnx_path = os.path.join(HERE, "tinycnn.onnx")
    dummy = torch.zeros(2, 1, FRAMES, MELS)
    names = ["embedding", "logits", "block1", "block2", "block3"]
    torch.onnx.export(
        model, dummy, onnx_path, opset_version=13, input_names=["image"], output_names=names,
        dynamic_axes={n: {0: "batch"} for n in ["image"] + names}, do_constant_folding=False,
        training=torch.onnx.TrainingMode.PRESERVE)  # PRESERVE keeps BatchNormalization (EVAL folds it into Conv)

    images = test_images()
    with torch.no_grad():
        emb, logits, b1, b2, b3 = model(torch.from_numpy(images))
    out = {
        "shape": list(images.shape),
        "embedding": emb.numpy().tolist(),
        "logits": logits.numpy().tolist(),
    }
    for name, b in [("block1", b1), ("block2", b2), ("block3", b3)]:
        out[name + "_mean"] = b.mean(dim=(2, 3)).numpy().tolist()
        out[name + "_max"] = b.amax(dim=(2, 3)).numpy().tolist()
    out["torch"] = torch.__version__

    torch.onnx.export(
        NHWCMelFirst(model), torch.zeros(2, MELS, FRAMES, 1), os.path.join(HERE, "tinycnn_nhwc_melfirst.onnx"),
        opset_version=13, input_names=["spectrogram"], output_names=names,
        dynamic_axes={n: {0: "batch"} for n in ["spectrogram"] + names}, do_constant_folding=False,
        training=torch.onnx.TrainingMode.PRESERVE)

    torch.manual_seed(SEED + 1)
    wave = TinyWave().eval()
    torch.onnx.export(
        wave, torch.zeros(2, SAMPLES), os.path.join(HERE, "tinywave.onnx"), opset_version=13,
        input_names=["audio"], output_names=["embedding", "frames"],
        dynamic_axes={"audio": {0: "batch"}, "embedding": {0: "batch"}, "frames": {0: "batch"}})
    with torch.no_grad():
        emb, frames = wave(torch.from_numpy(test_waveforms()))
    with open(os.path.join(HERE, "tinywave_outputs.json"), "w") as fh:
        json.dump({"embedding": emb.numpy().tolist(), "frames_max": frames.amax(dim=2).numpy().tolist(),
                   "torch": torch.__version__}, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(HERE, "tinycnn_outputs.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote", onnx_path, os.path.getsize(onnx_path), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
