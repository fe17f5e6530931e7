#!/usr/bin/python3
"""PyTorch peer of benchembed: times the forward pass of the same architecture as
the Go model, in inference mode, on batches of random [batch, 1, frames, mels]
images, and prints JSON {"clips_per_s": ..., "clips": ..., "threads": ...}.

    /usr/bin/python3 lib/cmd/benchembed/bench_torch.py MODEL CLIPS BATCH THREADS REPEATS

MODEL names the architecture: a key of ARCHS below ("tinycnn", "birds-v1"). To
compare another model, add its PyTorch twin to ARCHS: a function returning
(module in eval mode, frames, mels) whose forward takes the image batch. A lib/cnn
zoo model's twin is cnn_twin(name); list its Go extractor's parameter count in
GO_EXTRACTOR_PARAMS so the twin is checked against it.
"""
import importlib.util
import json
import os
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def tinycnn():
    """lib/zoo/testdata/tinycnn.onnx: the model of make_onnx_model.py."""
    path = os.path.join(REPO, "lib", "zoo", "testdata", "make_onnx_model.py")
    spec = importlib.util.spec_from_file_location("make_onnx_model", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.build_model(), mod.FRAMES, mod.MELS


# Trainable parameters of each shipped model's feature extractor, as Go's
# (*cnn.Model).NumParameters() counts them (conv weights, batch-norm scales and
# offsets; running averages excluded): the twin must have exactly as many.
GO_EXTRACTOR_PARAMS = {"birds-v1": 305224}


def cnn_twin(name):
    """PyTorch twin of the feature extractor of lib/cnn (Model.FeatureExtractor)
    for the shipped zoo model `name`, built from lib/zoo/models/NAME/record.json.

    Go works channels-last on [batch, time, mel, 1]; the twin takes PyTorch's
    [batch, 1, time, mel]: the same convolutions, shapes and multiply-adds.
      stem: 3x3 conv stride 2 (no bias) -> BN -> ReLU
      per stage (every stage's first block has stride 2), per block:
        conv3x3(stride) -> BN -> ReLU -> conv3x3 -> BN, plus a shortcut that is
        a 1x1 conv(stride) -> BN when stride or width changes; then ReLU
      mean over time and frequency (-> last stage's width), then a dense layer
      with ReLU only when EmbeddingSize differs from that width.
    GoMLX's PadSame and padding=1 give the same output sizes (130x64 -> 65x32 ->
    33x16 -> 17x8 -> 9x4 for birds-v1); for even sizes with stride 2 GoMLX pads
    (0, 1) where PyTorch pads (1, 1), which moves the sampling grid by one pixel but
    changes neither shapes nor work. Weights are random: this is for speed only.
    """
    import torch
    from torch import nn

    with open(os.path.join(REPO, "lib", "zoo", "models", name, "record.json")) as f:
        cfg = json.load(f)["config"]
    fe = cfg["front_end"]
    samples = int(round(fe["ClipSeconds"] * fe["SampleRateHz"]))
    frames, mels = 1 + samples // fe["Hop"], fe["NumMels"]  # spectro's centred frames
    stem = cfg.get("stem_channels") or 24
    stages = cfg.get("stage_channels") or [32, 64, 128]
    blocks = cfg.get("blocks_per_stage") or 1
    emb = cfg.get("embedding_size") or stages[-1]

    def conv_bn(cin, cout, k, stride):
        return [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False), nn.BatchNorm2d(cout)]

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.body = nn.Sequential(*conv_bn(cin, cout, 3, stride), nn.ReLU(), *conv_bn(cout, cout, 3, 1))
            self.shortcut = nn.Sequential(*conv_bn(cin, cout, 1, stride)) if stride != 1 or cin != cout else nn.Identity()

        def forward(self, x):
            return torch.relu(self.body(x) + self.shortcut(x))

    class Extractor(nn.Module):
        def __init__(self):
            super().__init__()
            layers = [*conv_bn(1, stem, 3, 2), nn.ReLU()]
            cin = stem
            for ch in stages:
                for b in range(blocks):
                    layers.append(Block(cin, ch, 2 if b == 0 else 1))
                    cin = ch
            self.features = nn.Sequential(*layers)
            self.projection = nn.Sequential(nn.Linear(cin, emb), nn.ReLU()) if emb != cin else nn.Identity()

        def forward(self, x):
            return self.projection(self.features(x).mean(dim=(2, 3)))

    torch.manual_seed(1)
    model = Extractor().eval()
    got = sum(p.numel() for p in model.parameters())
    want = GO_EXTRACTOR_PARAMS.get(name)
    if want is not None and got != want:
        raise ValueError("PyTorch twin of %s has %d parameters, Go's extractor %d: the architectures differ" % (name, got, want))
    return model, frames, mels


# Architecture name (as benchembed's -model, or the ONNX file's base name) →
# builder returning (module in eval mode, frames, mels).
ARCHS = {"tinycnn": tinycnn, "birds-v1": lambda: cnn_twin("birds-v1")}


def main():
    name, clips, batch, threads, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    import torch
    torch.set_num_threads(threads)
    if name not in ARCHS:
        print(json.dumps({"error": "no PyTorch twin for %r (have %s): add one to ARCHS in %s" % (name, sorted(ARCHS), __file__)}))
        return
    model, frames, mels = ARCHS[name]()
    model.eval()
    gen = torch.Generator().manual_seed(1)
    images = torch.rand(batch, 1, frames, mels, generator=gen)
    best = float("inf")
    with torch.inference_mode():
        model(images)  # warm-up
        for _ in range(repeats):
            t0 = time.perf_counter()
            done = 0
            while done < clips:
                model(images)
                done += batch
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"clips_per_s": done / best, "clips": done, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
