#!/usr/bin/python3
"""PyTorch peer of benchembed: times the forward pass of the same architecture as
the Go model, in inference mode, on batches of random [batch, 1, frames, mels]
images, and prints JSON {"clips_per_s": ..., "clips": ..., "threads": ...}.

    /usr/bin/python3 lib/cmd/benchembed/bench_torch.py MODEL CLIPS BATCH THREADS REPEATS

MODEL names the architecture: a key of ARCHS below. To compare another model
(the course's shipped "birds-..." CNN), add its PyTorch twin to ARCHS: a function
returning (module in eval mode, frames, mels) whose forward takes the image batch.
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


# Architecture name (as benchembed's -model, or the ONNX file's base name) →
# builder. HOOK: add the shipped model's twin here, e.g.
#   ARCHS["birds-cnn-v1"] = lambda: (birds_twin(), 130, 64)
ARCHS = {"tinycnn": tinycnn}


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
