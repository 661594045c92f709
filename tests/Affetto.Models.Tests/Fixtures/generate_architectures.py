#!/usr/bin/env python3
"""Reference fixtures for Affetto.Models.Emotion.Architectures (run with Debian's /usr/bin/python3, torch 1.13).

The networks come from scripts/python/affetto_torch.py (plain torch with the layouts and key names the C# side
documents), so the tests can compare key sets, shapes and parameter counts, and run a forward/gradient parity check.

Files in architectures/:
  keys.json          per test spec: {"params": N, "state": [[key, shape], ...]} in torch's state_dict order, plus
                     efficientnetv2-s at the torchvision defaults (3 channels, 1000 classes) whose count must equal
                     torchvision's published 21,458,488 parameters (checked here)
  cnn4.safetensors   cnn4 at width 0.5 on [2, 1, 32, 24]: "model.*" initial weights, "input", "target",
                     "train.logits" (batch statistics, dropout 0), "train.loss", "grad.*" parameter gradients,
                     "grad.input", "eval.logits" and "eval.embedding" (running statistics after that one step)
  forward.json       every architecture at the test spec (dropout 0) with closed-form weights and inputs (see
                     deterministic_fill / pattern): eval logits, eval embedding, train-mode logits (float32, and a
                     float64 reference with torch's own float32 relative error against it), flattened
The safetensors writer is the one of tests/Affetto.Nn.Tests/Fixtures/generate_torch.py (imported, not copied).
"""
import copy
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Affetto.Nn.Tests", "Fixtures"))
from generate_torch import save  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "python"))
from affetto_torch import Cnn4, EfficientNetV2, Mlp, Multimodal, NARROW_LAYERS, Vgg16  # noqa: E402

OUT = os.path.join(HERE, "architectures")
TORCHVISION_V2S_PARAMS = 21458488  # torchvision.models.efficientnet_v2_s() num_params (3 channels, 1000 classes)


def describe(model):
    return {"params": sum(p.numel() for p in model.parameters()),
            "state": [[k, list(v.shape)] for k, v in model.state_dict().items()]}


def keys():
    ref = EfficientNetV2(3, 1000)
    n = sum(p.numel() for p in ref.parameters())
    assert n == TORCHVISION_V2S_PARAMS, f"plain-torch V2-S has {n} parameters, torchvision publishes {TORCHVISION_V2S_PARAMS}"
    out = {
        # names match ArchitectureKeysTests' specs
        "cnn4": describe(Cnn4(1, 4, 1.0, 0.3)),
        "vgg16": describe(Vgg16(1, 4, 0.25, 0.3)),
        "efficientnetv2-s": describe(EfficientNetV2(1, 4)),
        "efficientnetv2-narrow": describe(EfficientNetV2(1, 4, 0.25, NARROW_LAYERS)),
        "multimodal": describe(Multimodal(1, 20, 4, 1.0, 0.3)),
        "mlp": describe(Mlp(20, 4, 0.3)),
        "efficientnetv2-s-torchvision-defaults": {"params": n},
    }
    with open(os.path.join(OUT, "keys.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


def deterministic_fill(model):
    """Overwrites every parameter and buffer with a closed-form pattern the C# test reproduces (ArchitectureForwardTests):
    tensor t (state_dict order), element i, a = 0.37 i + 1.1 t: running_var 1 + 0.5 sin²a, running_mean 0.1 sin a,
    1-D weight 1 + 0.2 sin a, bias 0.1 sin a, other weights sin(a)·sqrt(3 / fan_in) with fan_in = numel / shape[0]."""
    with torch.no_grad():
        for t, (k, v) in enumerate(model.state_dict().items()):
            if k.endswith("num_batches_tracked"):
                continue
            a = torch.arange(v.numel(), dtype=torch.float64) * 0.37 + 1.1 * t
            if k.endswith("running_var"):
                x = 1 + 0.5 * torch.sin(a) ** 2
            elif k.endswith("running_mean") or k.endswith("bias"):
                x = 0.1 * torch.sin(a)
            elif v.dim() == 1:
                x = 1 + 0.2 * torch.sin(a)
            else:
                x = torch.sin(a) * math.sqrt(3.0 / (v.numel() // v.shape[0]))
            v.copy_(x.reshape(v.shape).to(torch.float32))


def pattern(shape, phase):
    """Inputs: sin(0.11 i + phase) over the flattened shape."""
    n = 1
    for d in shape:
        n *= d
    return torch.sin(torch.arange(n, dtype=torch.float64) * 0.11 + phase).to(torch.float32).reshape(shape)


def forwards():
    x = pattern((2, 1, 64, 44), 0.0)
    f = pattern((2, 20), 0.5)
    models = {
        "cnn4": Cnn4(1, 4, 1.0, 0.0),
        "vgg16": Vgg16(1, 4, 0.25, 0.0),
        "efficientnetv2-s": EfficientNetV2(1, 4, dropout=0.0),
        "efficientnetv2-narrow": EfficientNetV2(1, 4, 0.25, NARROW_LAYERS, dropout=0.0),
        "multimodal": Multimodal(1, 20, 4, 1.0, 0.0),
        "mlp": Mlp(20, 4, 0.0),
    }
    out = {}
    for name, m in models.items():
        deterministic_fill(m)
        with torch.no_grad():
            m.eval()
            ev, emb = m(x, f), m.embed(x, f)
            m.train()
            tr = m(x, f)
            # training-mode BatchNorm over a handful of values per channel (deep layers see 2x1 or 2x2 maps at batch
            # 2) is ill-conditioned: record a float64 reference and how far torch's own float32 result is from it
            tr64 = copy.deepcopy(m).double()(x.double(), f.double())
            err32 = ((tr.double() - tr64).norm() / tr64.norm()).item()
        out[name] = {"eval": ev.flatten().tolist(), "embedding": emb.flatten().tolist(), "train": tr.flatten().tolist(),
                     "train_f64": tr64.flatten().tolist(), "train_f32_error": err32}
    with open(os.path.join(OUT, "forward.json"), "w") as fh:
        json.dump(out, fh, separators=(",", ":"))


def cnn4_parity():
    torch.manual_seed(4)
    model = Cnn4(1, 4, 0.5, 0.0)
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    x = torch.randn(2, 1, 32, 24, requires_grad=True)
    y = torch.tensor([2, 0])
    model.train()
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    t = {"input": x.detach(), "target": y.float(), "train.logits": logits.detach(), "train.loss": loss.detach().reshape(1),
         "grad.input": x.grad}
    t.update({"model." + k: v for k, v in init.items()})
    t.update({"grad." + k: p.grad for k, p in model.named_parameters()})
    model.eval()
    with torch.no_grad():
        t["eval.logits"] = model(x.detach())
        t["eval.embedding"] = model.embed(x.detach())
    save(os.path.join(OUT, "cnn4.safetensors"), t)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    keys()
    cnn4_parity()
    forwards()
    print("wrote", sorted(os.listdir(OUT)))
