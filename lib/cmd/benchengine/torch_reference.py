"""PyTorch reference for lib/cmd/benchengine: the same networks, same sizes.

Prints one JSON line with the median seconds per step of:
  cnn_embed  forward of the reference CNN's embedding, batch 32 of [1, 128, 64]
  cnn_train  one Adam step of the whole CNN (dense to 100 classes, cross-entropy)
  mlp_train  one Adam step of the 1280 -> 256 -> 20 MLP, batch 64

Run by `go run ./lib/cmd/benchengine` with OMP_NUM_THREADS set; needs
/usr/bin/python3 with torch (Debian: apt-get install python3-torch).
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def cnn_embedding():
    layers = []
    channels_in = 1
    for channels in (16, 32, 64, 128):
        layers += [nn.Conv2d(channels_in, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        channels_in = channels
    return nn.Sequential(*layers)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = cnn_embedding()
        self.classifier = nn.Linear(128, 100)

    def embed(self, x):
        return self.features(x).mean(dim=(2, 3))

    def forward(self, x):
        return self.classifier(self.embed(x))


def timed(step, seconds):
    step()  # Warm-up.
    durations = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(durations) < 3:
        start = time.perf_counter()
        step()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def train_step_fn(model, inputs, labels):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        optimizer.step()

    return step


def steady_state(steps):
    """Seconds of each step of one long MLP Adam run, as PyTorch runs by
    default (subnormals kept) and with torch.set_flush_denormal(True)."""
    results = {}
    for name, flush in (("keep", False), ("flush", True)):
        torch.set_flush_denormal(flush)
        torch.manual_seed(1)
        mlp = nn.Sequential(nn.Linear(1280, 256), nn.ReLU(), nn.Linear(256, 20))
        features = torch.rand(64, 1280)
        labels = torch.randint(0, 20, (64,))
        step = train_step_fn(mlp, features, labels)
        durations = []
        for _ in range(steps):
            start = time.perf_counter()
            step()
            durations.append(time.perf_counter() - start)
        results[name] = durations
    torch.set_flush_denormal(False)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--steady", type=int, default=0,
                        help="instead: time every step of one run of this many MLP Adam steps")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    if args.steady > 0:
        print(json.dumps(steady_state(args.steady)))
        return

    clips = torch.rand(32, 1, 128, 64)
    clip_labels = torch.randint(0, 100, (32,))
    cnn = CNN()

    def embed():
        with torch.no_grad():
            cnn.embed(clips)

    results = {"cnn_embed": timed(embed, args.seconds)}
    results["cnn_train"] = timed(train_step_fn(cnn, clips, clip_labels), args.seconds)

    mlp = nn.Sequential(nn.Linear(1280, 256), nn.ReLU(), nn.Linear(256, 20))
    features = torch.rand(64, 1280)
    labels = torch.randint(0, 20, (64,))
    results["mlp_train"] = timed(train_step_fn(mlp, features, labels), args.seconds)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
