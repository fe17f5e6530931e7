#!/usr/bin/python3
"""Reference values for lib/cnn's AdamW test, from torch.optim.AdamW.

Three steps on a tiny problem with two learning-rate groups (the classifier's
and the feature extractor's), weight decay on rank-2 weights only, and learning
rates that change between steps (as a schedule does). Run from this directory:

    /usr/bin/python3 adamw_reference.py > adamw_reference.json
"""
import json

import torch

torch.set_default_dtype(torch.float64)

w = torch.tensor([[0.5, -1.0, 2.0], [0.1, 0.0, -0.3]], requires_grad=True)  # /classifier, decayed
b = torch.tensor([0.2, -0.4, 1.5], requires_grad=True)                        # /classifier, not decayed
e = torch.tensor([[1.0, -2.0]], requires_grad=True)                           # /extractor, decayed
target = torch.tensor([[1.0, 1.0, 1.0], [-1.0, 0.5, 0.0]])
x = torch.tensor([1.0, -2.0, 0.5])
weight_decay = 0.1
opt = torch.optim.AdamW(
    [
        {"params": [w], "weight_decay": weight_decay},
        {"params": [b], "weight_decay": 0.0},
        {"params": [e], "weight_decay": weight_decay},
    ],
    lr=0.01, betas=(0.9, 0.999), eps=1e-8,
)
classifier_rates = [0.01, 0.02, 0.005]
extractor_rates = [0.001, 0.002, 0.0005]
steps = []
for step in range(3):
    opt.param_groups[0]["lr"] = classifier_rates[step]
    opt.param_groups[1]["lr"] = classifier_rates[step]
    opt.param_groups[2]["lr"] = extractor_rates[step]
    opt.zero_grad()
    loss = ((w - target) ** 2).sum() + (b * x).sum() + (e ** 3).sum() + (w[0] * b).sum()
    loss.backward()
    opt.step()
    steps.append({
        "w": w.detach().flatten().tolist(),
        "b": b.detach().flatten().tolist(),
        "e": e.detach().flatten().tolist(),
    })
print(json.dumps({
    "classifier_rates": classifier_rates, "extractor_rates": extractor_rates,
    "weight_decay": weight_decay, "steps": steps,
}, indent=1))
