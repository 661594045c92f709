#!/usr/bin/python3
"""PyTorch peer of bench/train: the network Affetto's side describes (its spec JSON, rebuilt by
scripts/python/affetto_torch.py) loaded with Affetto's initial weights (strict: every key and shape must match), one
training step (train mode, cross-entropy with label smoothing 0.1, backward, AdamW lr 1e-3 weight decay 0.01) and one
inference pass (eval, no grad), on a random batch of the same shape.

usage: peer.py SPEC_JSON WEIGHTS.safetensors BATCH LAYOUT(nchw|cl) THREADS
Driven over stdin by bench/train/run (scripts/python/interleave.py's protocol: "warm", "train", "infer", "quit").
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "python"))
import interleave  # noqa: E402
from affetto_torch import build_network, load_safetensors  # noqa: E402

FEATURE_DIM = 69  # the extended summary set, as Affetto's side


def main():
    spec, weights, batch, layout, threads = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(1234)
    model = build_network(spec)
    state, _ = load_safetensors(weights)
    own = model.state_dict()
    model.load_state_dict({k: v.to(own[k].dtype) if k in own else v for k, v in state.items()}, strict=True)
    x = torch.randn(batch, spec["input_channels"], spec["input_height"], spec["input_width"]) if spec["input_height"] else None
    f = torch.randn(batch, FEATURE_DIM) if spec["feature_dim"] else None
    y = torch.arange(batch) % spec["num_classes"]
    if layout == "cl":
        model = model.to(memory_format=torch.channels_last)
        x = None if x is None else x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def train_step():
        model.train()
        opt.zero_grad()
        loss = F.cross_entropy(model(x, f), y, label_smoothing=0.1)
        loss.item()
        loss.backward()
        opt.step()

    def infer():
        model.eval()
        with torch.no_grad():
            model(x, f)

    def warm():
        train_step()
        infer()

    interleave.serve(f"threads {torch.get_num_threads()}", {"train": train_step, "infer": infer, "warm": warm})


if __name__ == "__main__":
    main()
