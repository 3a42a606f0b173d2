"""The PyTorch contender of bench/cnn_compare.ts: the same CNN as `deno task train --arch cnn`
(lib/cnn/network.ts: conv 5x5x8 pad 2, ReLU, max pool 2, conv 5x5x16, ReLU, max pool 2, 400-128
ReLU-10), the same initial weights, batch order, batch size and update rule (SGD with momentum
0.9, v <- 0.9 v + g, w <- w - lr v, lr on a cosine schedule over the epochs), float32 on the CPU.

Usage: python3 bench/torch_cnn.py DIR THREADS, where DIR holds what bench/cnn_compare.ts exported
(meta.json and raw little-endian arrays). Prints one JSON object per line: {"epoch", "seconds",
"test_accuracy"} per epoch, then {"predict_ms", "peak_rss_mb"}.
"""

import json
import math
import os
import resource
import sys
import time
from pathlib import Path

# PyTorch parallelises its own operations over torch.set_num_threads(THREADS) threads; Debian's
# OpenBLAS (pthreads) would start its own threads inside each matrix product besides, and more
# threads than cores fight over them (docs/performance.md has the figures). Set before torch
# loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


def load(directory, name, dtype, shape):
    return torch.from_numpy(np.fromfile(directory / name, dtype=dtype).reshape(shape).copy())


def model_from(directory, meta):
    c1, c2, h = meta["channels1"], meta["channels2"], meta["hidden"]
    model = nn.Sequential(
        nn.Conv2d(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 25, h), nn.ReLU(), nn.Linear(h, 10),
    )
    shapes = {"K1": (c1, 1, 5, 5), "b1": (c1,), "K2": (c2, c1, 5, 5), "b2": (c2,),
              "W3": (h, c2 * 25), "b3": (h,), "W4": (10, h), "b4": (10,)}
    layers = {"K1": model[0].weight, "b1": model[0].bias, "K2": model[3].weight,
              "b2": model[3].bias, "W3": model[7].weight, "b3": model[7].bias,
              "W4": model[9].weight, "b4": model[9].bias}
    with torch.no_grad():
        for name, parameter in layers.items():
            parameter.copy_(load(directory, f"{name}.f32", np.float32, shapes[name]))
    return model


def accuracy(model, X, labels):
    with torch.no_grad():
        return float((model(X).argmax(dim=1) == labels).float().mean())


def main(directory, threads):
    torch.set_num_threads(threads)
    meta = json.loads((directory / "meta.json").read_text())
    model = model_from(directory, meta)
    images = lambda name, count: load(directory, name, np.uint8, (count, 1, 28, 28)).float() / 255
    X_all = images("train_images.u8", meta["train_count"])  # once, as PyTorch code usually does
    labels = load(directory, "train_labels.u8", np.uint8, (meta["train_count"],)).long()
    X_test = images("test_images.u8", meta["test_count"])
    test_labels = load(directory, "test_labels.u8", np.uint8, (meta["test_count"],)).long()
    orders = load(directory, "orders.i32", np.int32, (meta["epochs"], meta["train_count"])).long()
    optimizer = torch.optim.SGD(model.parameters(), lr=meta["lr"], momentum=meta["momentum"])
    loss_function = nn.CrossEntropyLoss()
    batch, epochs = meta["batch"], meta["epochs"]
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = meta["lr"] * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
        started = time.perf_counter()
        order = orders[epoch]
        for start in range(0, len(order), batch):
            indices = order[start:start + batch]
            optimizer.zero_grad()
            loss_function(model(X_all[indices]), labels[indices]).backward()
            optimizer.step()
        seconds = time.perf_counter() - started
        test = accuracy(model, X_test, test_labels)
        print(json.dumps({"epoch": epoch + 1, "seconds": seconds, "test_accuracy": test}))
    predict = []
    for _ in range(3):
        started = time.perf_counter()
        accuracy(model, images("test_images.u8", meta["test_count"]), test_labels)
        predict.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"predict_ms": 1000 * min(predict), "peak_rss_mb": peak}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
