"""Interleaved timing of long-lived benchmark processes (bench/nn, bench/train).

Each process prints one start-up line beginning with "ready", then answers every command it reads on stdin with one
line: the milliseconds the command took. The runners step the processes in turn (Affetto, PyTorch NCHW, PyTorch
channels_last, Affetto, ...) so background load on the shared machine hits them alike, and keep the median.
"""
import os
import statistics
import subprocess
import sys
import time


def start(cmd, threads):
    """Starts cmd with AFFETTO_NUM_THREADS = OMP_NUM_THREADS = threads; returns (process, rest of its ready line)."""
    env = dict(os.environ, AFFETTO_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1)
    ready = p.stdout.readline()
    if not ready.startswith("ready"):
        p.kill()
        raise SystemExit(f"{' '.join(cmd)}: unexpected start-up line {ready!r}")
    return p, ready[len("ready"):].strip()


def step(p, cmd):
    """Sends one command; returns its time in ms."""
    p.stdin.write(cmd + "\n")
    p.stdin.flush()
    reply = p.stdout.readline()
    if not reply:
        raise SystemExit(f"a benchmark process ended while running '{cmd}' (exit code {p.wait()})")
    return float(reply)


def medians(procs, command, iters):
    """{name: median ms} of `command` run iters times on every process of procs ({name: process}), in turn."""
    times = {n: [] for n in procs}
    for _ in range(iters):
        for n, p in procs.items():
            times[n].append(step(p, command))
    return {n: statistics.median(v) for n, v in times.items()}


def stop(procs):
    for p in procs.values():
        p.stdin.write("quit\n")
        p.stdin.flush()
        p.wait()


def serve(ready, commands):
    """The Python peers' side of the protocol: prints "ready <ready>", then runs commands[name]() for each stdin line
    until "quit", answering with its time in ms."""
    print(f"ready {ready}", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "quit":
            break
        if cmd not in commands:
            raise SystemExit(f"unknown command {cmd!r}")
        s = time.perf_counter()
        commands[cmd]()
        print(f"{(time.perf_counter() - s) * 1000:.3f}", flush=True)
