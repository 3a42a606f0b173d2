"""PyTorch as a contender in bench/compare.ts: the same 784-h-10 network, initial weights, data
order and update rule as `deno task train` and bench/numpy_mlp.py, written the way a PyTorch user
would (nn.Linear layers, autograd, cross-entropy on the logits, torch.optim.SGD with momentum,
whose rule v <- mu*v + g, p <- p - lr*v is lib/optimizers.ts's).

Usage: python3 bench/torch_mlp.py DIR THREADS, where DIR holds what bench/compare.ts exported
(meta.json and raw little-endian arrays). Calls torch.set_num_threads(THREADS). Prints one JSON
object per line: {"epoch", "seconds", "test_accuracy"} per epoch, then {"predict_ms",
"peak_rss_mb"}, like bench/numpy_mlp.py (its full-batch mode: {"iteration", "seconds",
"validation"} once the target is reached).
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


def load(directory, name, dtype, shape):
    return torch.from_numpy(np.fromfile(directory / name, dtype=dtype).reshape(shape))


def network(directory, hidden):
    model = torch.nn.Sequential(
        torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
    )
    with torch.no_grad():
        model[0].weight.copy_(load(directory, "W1.f32", np.float32, (hidden, 784)))
        model[0].bias.copy_(load(directory, "b1.f32", np.float32, (hidden,)))
        model[2].weight.copy_(load(directory, "W2.f32", np.float32, (10, hidden)))
        model[2].bias.copy_(load(directory, "b2.f32", np.float32, (10,)))
    return model


def accuracy(model, X, labels):
    with torch.no_grad():
        return float((model(X).argmax(dim=1) == labels).float().mean())


def images(directory, part, count):
    raw = load(directory, f"{part}_images.u8", np.uint8, (count, 784))
    return raw.float() / 255, load(directory, f"{part}_labels.u8", np.uint8, (count,)).long()


def main(directory, threads):
    torch.set_num_threads(threads)
    meta = json.loads((directory / "meta.json").read_text())
    model = network(directory, meta["hidden"])
    loss_of = torch.nn.CrossEntropyLoss()
    started = time.perf_counter()
    X_all, y_all = images(directory, "train", meta["train_count"])
    X_test, y_test = images(directory, "test", meta["test_count"])
    if meta["mode"] == "full-batch":
        X_valid, y_valid = images(directory, "valid", meta["valid_count"])
        optimizer = torch.optim.SGD(model.parameters(), lr=meta["lr"])
        for iteration in range(1, meta["epochs"] + 1):
            optimizer.zero_grad()
            loss_of(model(X_all), y_all).backward()
            optimizer.step()
            valid = accuracy(model, X_valid, y_valid)
            if valid >= meta["target"]:
                seconds = time.perf_counter() - started
                print(json.dumps({"iteration": iteration, "seconds": seconds, "validation": valid}))
                break
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=meta["lr"], momentum=meta["momentum"])
        orders = load(directory, "orders.i32", np.int32, (meta["epochs"], meta["train_count"]))
        batch, epochs = meta["batch"], meta["epochs"]
        for epoch in range(epochs):
            for group in optimizer.param_groups:
                group["lr"] = meta["lr"] * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
            started = time.perf_counter()
            order = orders[epoch].long()
            for start in range(0, len(order), batch):
                indices = order[start:start + batch]
                optimizer.zero_grad()
                loss_of(model(X_all[indices]), y_all[indices]).backward()
                optimizer.step()
            seconds = time.perf_counter() - started
            test = accuracy(model, X_test, y_test)
            print(json.dumps({"epoch": epoch + 1, "seconds": seconds, "test_accuracy": test}))
    raw_test = load(directory, "test_images.u8", np.uint8, (meta["test_count"], 784))
    predict = []
    for _ in range(5):
        started = time.perf_counter()
        with torch.no_grad():
            model(raw_test.float() / 255).argmax(dim=1)
        predict.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"predict_ms": 1000 * min(predict), "peak_rss_mb": peak}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
