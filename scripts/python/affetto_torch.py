"""Affetto's emotion networks rebuilt in plain PyTorch 1.13 (torchvision may be absent), with the layouts and
state-dict keys of src/Affetto.Models/Emotion/Architectures, and a safetensors reader (the `safetensors` package is
absent on Debian). One definition shared by the Python side of the repository:
  tests/Affetto.Models.Tests/Fixtures/generate_architectures.py  (key, shape and forward fixtures)
  bench/analyze/peer.py                                           (the analyze peer loads a model file's weights)
  bench/train/peer.py                                             (training-step peer of every architecture)
Run with Debian's /usr/bin/python3.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NARROW_LAYERS = [1, 2, 2, 2, 3, 4]  # efficientnetv2-narrow's layers per stage (EfficientNetV2Network.NarrowLayers)


def scaled(c, width):
    return max(1, int(round(c * width)))


def make_divisible(v, divisor=8):
    n = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return n + divisor if n < 0.9 * v else n


# ------------------------------------------------------------------------------------------------ cnn4 / multimodal / mlp
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


# ------------------------------------------------------------------------------------------------ vgg16
class Vgg16(nn.Module):
    CFG = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

    def __init__(self, cin, classes, width, dropout, height=None, width_px=None):
        """height/width_px: the input size; Affetto pools an axis only while it is at least 2 long there (None: the
        input is taken to be large enough for five 2x2 poolings)."""
        super().__init__()
        layers = []
        h, w = height, width_px
        for c in self.CFG:
            if c == 0:
                kh = 1 if h is not None and h < 2 else 2
                kw = 1 if w is not None and w < 2 else 2
                layers.append(nn.MaxPool2d((kh, kw)) if (kh, kw) != (2, 2) else nn.MaxPool2d(2))
                h = None if h is None else h // kh
                w = None if w is None else w // kw
            else:
                c = scaled(c, width)
                layers += [nn.Conv2d(cin, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU()]
                cin = c
        self.features = nn.Sequential(*layers)
        hidden = scaled(512, width)
        self.classifier = nn.Sequential(nn.Linear(cin, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, classes))

    def embed(self, x, f=None):
        return self.classifier[:2](F.adaptive_avg_pool2d(self.features(x), 1).flatten(1))

    def forward(self, x, f=None):
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
    def __init__(self, fused, cin, cout, expand, k, stride, drop=0.0):
        super().__init__()
        e = make_divisible(cin * expand)
        if fused:
            layers = [cna(cin, e, k, stride), cna(e, cout, 1, act=False)] if e != cin else [cna(cin, cout, k, stride)]
        else:
            layers = ([cna(cin, e, 1)] if e != cin else []) + [cna(e, e, k, stride, groups=e), SE(e, max(1, cin // 4)),
                                                                 cna(e, cout, 1, act=False)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout
        self.drop = drop

    def forward(self, x):
        if not self.residual:
            return self.block(x)
        y = self.block(x)
        if self.training and self.drop > 0:
            # stochastic depth, torchvision's "row" mode: drop the branch per sample, rescale the survivors
            keep = torch.empty(y.shape[0], 1, 1, 1, dtype=y.dtype).bernoulli_(1 - self.drop)
            y = y * keep / (1 - self.drop)
        return y + x


# (fused, expand, kernel, stride, in, out, layers): the paper's Table 4, stages 1-6
V2S = [(True, 1, 3, 1, 24, 24, 2), (True, 4, 3, 2, 24, 48, 4), (True, 4, 3, 2, 48, 64, 4),
       (False, 4, 3, 2, 64, 128, 6), (False, 6, 3, 1, 128, 160, 9), (False, 6, 3, 2, 160, 256, 15)]


class EfficientNetV2(nn.Module):
    def __init__(self, cin, classes, width=None, narrow_layers=None, dropout=0.2, stochastic_depth=0.0):
        """width None: the paper's EfficientNetV2-S; else channels x width (multiples of 8) and narrow_layers per stage.
        stochastic_depth: the last block's drop probability (linear from 0 over the blocks, as torchvision)."""
        super().__init__()
        sc = (lambda c: c) if width is None else (lambda c: make_divisible(c * width))
        stages = [(f, e, k, s, sc(i), sc(o), n if narrow_layers is None else narrow_layers[j])
                  for j, (f, e, k, s, i, o, n) in enumerate(V2S)]
        total, index = sum(st[6] for st in stages), 0
        feats = [cna(cin, sc(24), 3, 2)]
        for f, e, k, s, i, o, n in stages:
            blocks = []
            for b in range(n):
                blocks.append(Block(f, i if b == 0 else o, o, e, k, s if b == 0 else 1, stochastic_depth * index / total))
                index += 1
            feats.append(nn.Sequential(*blocks))
        head = sc(1280)
        feats.append(cna(stages[-1][5], head, 1))
        self.features = nn.Sequential(*feats)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(head, classes))

    def embed(self, x, f=None):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)

    def forward(self, x, f=None):
        return self.classifier(self.embed(x, f))


# ------------------------------------------------------------------------------------------------ ensemble
class Ensemble(nn.Module):
    """Affetto's ensemble: the log of the members' mean softmax (so a softmax of the output is that mean). With
    separate inputs, x is a list holding each member's own input."""

    def __init__(self, members, separate):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.separate = separate

    def forward(self, x, f=None):
        xs = x if self.separate else [x] * len(self.members)
        p = torch.stack([torch.softmax(m(xi, f), dim=1) for m, xi in zip(self.members, xs)]).mean(0)
        return p.clamp(1e-30, 1.0).log()


def build_network(spec):
    """The network a model file's "network" metadata (NetworkSpec.ToJson, snake_case) describes."""
    arch = spec["architecture"]
    cin, classes = spec.get("input_channels", 1), spec.get("num_classes", 4)
    width, dropout = spec.get("width", 1.0), spec.get("dropout", 0.3)
    if arch == "ensemble":
        return Ensemble([build_network(m) for m in spec["members"]], spec.get("separate_inputs", False))
    if arch == "cnn4":
        return Cnn4(cin, classes, width, dropout)
    if arch == "vgg16":
        return Vgg16(cin, classes, width, dropout, spec["input_height"], spec["input_width"])
    if arch == "multimodal":
        return Multimodal(cin, spec["feature_dim"], classes, width, dropout)
    if arch == "mlp":
        return Mlp(spec["feature_dim"], classes, dropout)
    sd = spec.get("stochastic_depth_prob", 0.2)
    if arch == "efficientnetv2-s":
        return EfficientNetV2(cin, classes, dropout=dropout, stochastic_depth=sd)
    if arch == "efficientnetv2-narrow":
        return EfficientNetV2(cin, classes, width, NARROW_LAYERS, dropout=dropout, stochastic_depth=sd)
    sys.exit(f"affetto_torch: unknown architecture '{arch}'")


# ------------------------------------------------------------------------------------------------ safetensors
DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32, "U8": np.uint8}


def load_safetensors(path):
    """(tensors, metadata) of a safetensors file, parsed with json + numpy."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {}) or {}
    tensors = {}
    for key, info in header.items():
        begin, end = info["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[key] = torch.from_numpy(arr.copy())
    return tensors, meta
