"""The NumPy reference for bench/compare.ts: the same 784-h-10 network, the same initial weights,
the same data order and the same update rule as `deno task train`, written the way the NumPy
original was (one sample per column, float32, OpenBLAS matrix products).

Usage: python3 bench/numpy_mlp.py DIR, where DIR holds what bench/compare.ts exported (meta.json
and raw little-endian arrays). Prints one JSON object per line: {"epoch", "seconds",
"test_accuracy"} per epoch, then {"predict_ms", "peak_rss_mb"}. Set OPENBLAS_NUM_THREADS to pick
the number of BLAS threads.
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np


def load(directory, name, dtype, shape):
    return np.fromfile(directory / name, dtype=dtype).reshape(shape)


def forward(W1, b1, W2, b2, X):
    """X is (m, 784): X.T is the course's 784 × m matrix, which BLAS reads without copying."""
    Z1 = W1 @ X.T + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    E = np.exp(Z2 - Z2.max(axis=0, keepdims=True))
    return Z1, A1, E / E.sum(axis=0, keepdims=True)


def gradients(W2, X, Y, Z1, A1, A2):
    m = X.shape[0]
    dZ2 = (A2 - Y) / np.float32(m)
    dW2 = dZ2 @ A1.T
    db2 = dZ2.sum(axis=1, keepdims=True)
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    dW1 = dZ1 @ X
    db1 = dZ1.sum(axis=1, keepdims=True)
    return [dW1, db1, dW2, db2]


def accuracy(params, X, labels):
    return float((forward(*params, X)[2].argmax(axis=0) == labels).mean())


def main(directory):
    meta = json.loads((directory / "meta.json").read_text())
    n, h, classes = 784, meta["hidden"], 10
    params = [
        load(directory, "W1.f32", np.float32, (h, n)),
        load(directory, "b1.f32", np.float32, (h, 1)),
        load(directory, "W2.f32", np.float32, (classes, h)),
        load(directory, "b2.f32", np.float32, (classes, 1)),
    ]
    train_images = load(directory, "train_images.u8", np.uint8, (meta["train_count"], n))
    train_labels = load(directory, "train_labels.u8", np.uint8, (meta["train_count"],))
    test_images = load(directory, "test_images.u8", np.uint8, (meta["test_count"], n))
    test_labels = load(directory, "test_labels.u8", np.uint8, (meta["test_count"],))
    eye = np.eye(classes, dtype=np.float32)
    velocity = [np.zeros_like(p) for p in params]
    started = time.perf_counter()
    X_all = train_images.astype(np.float32) / np.float32(255)  # once, as NumPy code usually does
    X_test = test_images.astype(np.float32) / np.float32(255)
    if meta["mode"] == "full-batch":
        valid_images = load(directory, "valid_images.u8", np.uint8, (meta["valid_count"], n))
        valid_labels = load(directory, "valid_labels.u8", np.uint8, (meta["valid_count"],))
        X_valid = valid_images.astype(np.float32) / np.float32(255)
        Y = eye[train_labels].T
        for iteration in range(1, meta["epochs"] + 1):
            Z1, A1, A2 = forward(*params, X_all)
            for p, g in zip(params, gradients(params[2], X_all, Y, Z1, A1, A2)):
                p -= np.float32(meta["lr"]) * g
            valid = accuracy(params, X_valid, valid_labels)
            if valid >= meta["target"]:
                seconds = time.perf_counter() - started
                print(json.dumps({"iteration": iteration, "seconds": seconds, "validation": valid}))
                break
    else:
        orders = load(directory, "orders.i32", np.int32, (meta["epochs"], meta["train_count"]))
        batch, epochs = meta["batch"], meta["epochs"]
        for epoch in range(epochs):
            lr = np.float32(meta["lr"] * 0.5 * (1 + np.cos(np.pi * epoch / epochs)))
            started = time.perf_counter()
            order = orders[epoch]
            for start in range(0, len(order), batch):
                indices = order[start:start + batch]
                X, Y = X_all[indices], eye[train_labels[indices]].T
                Z1, A1, A2 = forward(*params, X)
                for p, v, g in zip(params, velocity, gradients(params[2], X, Y, Z1, A1, A2)):
                    v *= np.float32(meta["momentum"])
                    v += g
                    p -= lr * v
            seconds = time.perf_counter() - started
            test = accuracy(params, X_test, test_labels)
            print(json.dumps({"epoch": epoch + 1, "seconds": seconds, "test_accuracy": test}))
    predict = []
    for _ in range(5):
        started = time.perf_counter()
        forward(*params, test_images.astype(np.float32) / np.float32(255))[2].argmax(axis=0)
        predict.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"predict_ms": 1000 * min(predict), "peak_rss_mb": peak}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
