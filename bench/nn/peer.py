#!/usr/bin/python3
"""PyTorch peer of bench/nn: the seed CNN, one training step and one inference pass, median of N runs.

usage: peer.py THREADS LAYOUT(nchw|cl) [ITERS]   prints "train <ms>" and "infer <ms>"
       peer.py serve THREADS LAYOUT             one step per stdin command (scripts/python/interleave.py)
       peer.py info                              prints the BLAS / threading summary lines
       peer.py gemm                              prints OpenBLAS SGEMM GFLOP/s (threads from OPENBLAS_NUM_THREADS)
"""
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "python"))
import interleave  # noqa: E402  (the serve protocol bench/nn/run drives)


def info():
    for line in torch.__config__.show().splitlines():
        l = line.strip()
        if any(k in l for k in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP", "CPU capability", "Build settings")):
            print("torch config:", l[:160])
    # BLAS_INFO=generic means Debian's libblas.so.3 alternative: show which library it resolved to.
    torch.zeros(64, 64) @ torch.zeros(64, 64)
    with open("/proc/self/maps") as maps:
        libs = sorted({l.split()[-1] for l in maps if "blas" in l.lower() and l.split()[-1].startswith("/")})
    for lib in libs:
        print("blas library loaded:", lib)
    for line in torch.__config__.parallel_info().splitlines():
        if any(k in line for k in ("ATen/Parallel backend", "MKL-DNN", "OpenMP", "torch.get_num_threads")):
            print("torch parallel:", line.strip())


def gemm():
    """OpenBLAS (through numpy) SGEMM GFLOP/s on the same shapes as the Affetto gemm lines, best of N."""
    import numpy as np
    rng = np.random.default_rng(1)
    for m, n, k, label in ((1024, 1024, 1024, "1024x1024x1024"), (64, 1024, 288, "conv3-shaped 64x1024x288"),
                           (128, 8192, 576, "conv4-batched 128x8192x576")):
        a = rng.random((m, k), dtype=np.float32) - 0.5
        b = rng.random((k, n), dtype=np.float32) - 0.5
        for _ in range(3):
            a @ b
        best = 1e9
        for _ in range(25):
            s = time.perf_counter()
            a @ b
            best = min(best, time.perf_counter() - s)
        print(f"gemm {label} {2 * m * n * k / best / 1e9:.1f}")


def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]


def build(threads, layout):
    torch.set_num_threads(threads)
    torch.manual_seed(1234)
    model = nn.Sequential(*block(1, 16), *block(16, 32), *block(32, 64), *block(64, 128),
                          nn.Dropout(0.5), nn.Flatten(), nn.Linear(128 * 8 * 8, 4))
    x = torch.randn(32, 1, 128, 128)
    y = torch.arange(32) % 4
    if layout == "cl":
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def train_step():
        model.train()
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    def infer():
        model.eval()
        with torch.no_grad():
            model(x)

    return train_step, infer


def serve(threads, layout):
    """One step per stdin command ("train" / "infer" / "warm" / "quit"), its time in ms per reply."""
    train_step, infer = build(threads, layout)

    def warm():
        for _ in range(3):
            train_step()
            infer()

    interleave.serve(f"threads {torch.get_num_threads()}", {"train": train_step, "infer": infer, "warm": warm})


def median_ms(fn, iters):
    for _ in range(3):
        fn()
    t = []
    for _ in range(iters):
        s = time.perf_counter()
        fn()
        t.append((time.perf_counter() - s) * 1000)
    return statistics.median(t)


def main():
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3])
        return
    if sys.argv[1] == "info":
        info()
        return
    if sys.argv[1] == "gemm":
        gemm()
        return
    threads, layout = int(sys.argv[1]), sys.argv[2]
    iters = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    torch.set_num_threads(threads)
    torch.manual_seed(1234)
    model = nn.Sequential(*block(1, 16), *block(16, 32), *block(32, 64), *block(64, 128),
                          nn.Dropout(0.5), nn.Flatten(), nn.Linear(128 * 8 * 8, 4))
    x = torch.randn(32, 1, 128, 128)
    y = torch.arange(32) % 4
    if layout == "cl":
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def train_step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    model.train()
    print(f"threads {torch.get_num_threads()}")
    print(f"train {median_ms(train_step, iters):.2f}")
    model.eval()

    def infer():
        with torch.no_grad():
            model(x)

    print(f"infer {median_ms(infer, iters):.2f}")


if __name__ == "__main__":
    main()
