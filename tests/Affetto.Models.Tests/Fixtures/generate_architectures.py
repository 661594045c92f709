#!/usr/bin/env python3
"""Reference fixtures for Affetto.Models.Emotion.Architectures (run with Debian's /usr/bin/python3, torch 1.13).

The networks are rebuilt here in plain torch (torchvision may be absent) with the layouts and key names the C# side
documents, so the tests can compare key sets, shapes and parameter counts, and run a forward/gradient parity check.

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
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Affetto.Nn.Tests", "Fixtures"))
from generate_torch import save  # noqa: E402

OUT = os.path.join(HERE, "architectures")
TORCHVISION_V2S_PARAMS = 21458488  # torchvision.models.efficientnet_v2_s() num_params (3 channels, 1000 classes)


def scaled(c, width):
    return max(1, int(round(c * width)))


def make_divisible(v, divisor=8):
    n = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return n + divisor if n < 0.9 * v else n


# ------------------------------------------------------------------------------------------------ cnn4 / multimodal
def cnn4_trunk(cin, width):
    layers = []
    for b in (16, 32, 64, 128):
        c = scaled(b, width)
        layers += [nn.Conv2d(cin, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]
        cin = c
    return nn.Sequential(*layers)


class Cnn4(nn.Module):
    def __init__(self, cin, classes, width, dropout):
        super().__init__()
        self.features = cnn4_trunk(cin, width)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(scaled(128, width), classes))

    def embed(self, x, f=None):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)

    def forward(self, x, f=None):
        return self.classifier(self.embed(x))


class Multimodal(nn.Module):
    def __init__(self, cin, dim, classes, width, dropout):
        super().__init__()
        self.spectrogram_branch = cnn4_trunk(cin, width)
        self.feature_branch = nn.Sequential(nn.Linear(dim, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(dropout))
        e = scaled(128, width) + 64
        self.classifier = nn.Sequential(nn.Linear(e, 128), nn.ReLU(), nn.Dropout(dropout), nn.Linear(128, classes))

    def embed(self, x, f):
        return torch.cat([F.adaptive_avg_pool2d(self.spectrogram_branch(x), 1).flatten(1), self.feature_branch(f)], 1)

    def forward(self, x, f):
        return self.classifier(self.embed(x, f))


class Mlp(nn.Module):
    def __init__(self, dim, classes, dropout):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(dim, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(dropout),
                                    nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(dropout),
                                    nn.Linear(128, classes))

    def embed(self, x, f):
        return self.layers[:7](f)

    def forward(self, x, f):
        return self.layers(f)


class Vgg16(nn.Module):
    CFG = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

    def __init__(self, cin, classes, width, dropout):
        super().__init__()
        layers = []
        for c in self.CFG:
            if c == 0:
                layers.append(nn.MaxPool2d(2))
            else:
                c = scaled(c, width)
                layers += [nn.Conv2d(cin, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU()]
                cin = c
        self.features = nn.Sequential(*layers)
        h = scaled(512, width)
        self.classifier = nn.Sequential(nn.Linear(cin, h), nn.ReLU(), nn.Dropout(dropout), nn.Linear(h, classes))

    def embed(self, x, f):
        return self.classifier[:2](F.adaptive_avg_pool2d(self.features(x), 1).flatten(1))

    def forward(self, x, f):
        return self.classifier(F.adaptive_avg_pool2d(self.features(x), 1).flatten(1))


# ------------------------------------------------------------------------------------------------ EfficientNetV2
def cna(cin, cout, k, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3)]
    if act:
        layers.append(nn.SiLU())
    return nn.Sequential(*layers)


class SE(nn.Module):
    def __init__(self, c, sq):
        super().__init__()
        self.fc1 = nn.Conv2d(c, sq, 1)
        self.fc2 = nn.Conv2d(sq, c, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.fc2(F.silu(self.fc1(F.adaptive_avg_pool2d(x, 1)))))


class Block(nn.Module):
    def __init__(self, fused, cin, cout, expand, k, stride):
        super().__init__()
        e = make_divisible(cin * expand)
        if fused:
            layers = [cna(cin, e, k, stride), cna(e, cout, 1, act=False)] if e != cin else [cna(cin, cout, k, stride)]
        else:
            layers = ([cna(cin, e, 1)] if e != cin else []) + [cna(e, e, k, stride, groups=e), SE(e, max(1, cin // 4)),
                                                                 cna(e, cout, 1, act=False)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return self.block(x) + x if self.residual else self.block(x)


# (fused, expand, kernel, stride, in, out, layers): the paper's Table 4, stages 1-6
V2S = [(True, 1, 3, 1, 24, 24, 2), (True, 4, 3, 2, 24, 48, 4), (True, 4, 3, 2, 48, 64, 4),
       (False, 4, 3, 2, 64, 128, 6), (False, 6, 3, 1, 128, 160, 9), (False, 6, 3, 2, 160, 256, 15)]


class EfficientNetV2(nn.Module):
    def __init__(self, cin, classes, width=None, narrow_layers=None, dropout=0.2):
        super().__init__()
        sc = (lambda c: c) if width is None else (lambda c: make_divisible(c * width))
        stages = [(f, e, k, s, sc(i), sc(o), n if narrow_layers is None else narrow_layers[j])
                  for j, (f, e, k, s, i, o, n) in enumerate(V2S)]
        feats = [cna(cin, sc(24), 3, 2)]
        for f, e, k, s, i, o, n in stages:
            feats.append(nn.Sequential(*[Block(f, i if b == 0 else o, o, e, k, s if b == 0 else 1) for b in range(n)]))
        head = sc(1280)
        feats.append(cna(stages[-1][5], head, 1))
        self.features = nn.Sequential(*feats)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(head, classes))

    def embed(self, x, f):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)

    def forward(self, x, f):
        return self.classifier(self.embed(x, f))


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
        "efficientnetv2-narrow": describe(EfficientNetV2(1, 4, 0.25, [1, 2, 2, 2, 3, 4])),
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
        "efficientnetv2-narrow": EfficientNetV2(1, 4, 0.25, [1, 2, 2, 2, 3, 4], dropout=0.0),
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
