#!/usr/bin/env python3
"""Builds the PyTorch parity fixtures of Affetto.Nn (run with Debian's /usr/bin/python3, torch 1.13).

Every file is a safetensors file written by hand below (the `safetensors` package may be missing), so the C# loader
is also tested against an independent writer. All randomness is seeded. Models are in train mode for gradients
(BatchNorm uses batch statistics) with dropout p = 0; evaluation outputs use the running statistics after one
training forward and dropout p = 0.5 (identity in evaluation).

Files (keys documented per section):
  cnn.safetensors      seed 4-block CNN, batch of 2 x 1 x 128 x 128, SGD (nesterov) and Adam 3 steps
  lstm.safetensors     2-layer bidirectional batch_first LSTM + Linear head, SGD (plain, nesterov) / Adam / AdamW
  gru.safetensors      2-layer bidirectional batch_first GRU
  blocks.safetensors   torchvision-style MBConv and Fused-MBConv blocks (two variants)
  ops.safetensors      activations, softmax, losses (weights, label smoothing, pos_weight), schedulers
  layers.safetensors   single layers with strides, padding, dilation, groups, ceil mode, adaptive bins, norms
  interop.safetensors  a small file with metadata for the loader round-trip test
"""
import json
import math
import os
import struct
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch")
DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64"}


def save(path, tensors, metadata=None):
    """safetensors writer: 8-byte LE header length, JSON header (space-padded to 8), raw LE data in name order."""
    header = OrderedDict()
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load(path):
    """safetensors reader used by --verify (checks files written by the C# side)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    inv = {"F32": torch.float32, "I64": torch.int64, "F64": torch.float64}
    out = {}
    for k, v in header.items():
        b, e = v["data_offsets"]
        out[k] = torch.frombuffer(bytearray(data[b:e]), dtype=inv[v["dtype"]]).reshape(v["shape"]) if e > b else \
            torch.zeros(v["shape"], dtype=inv[v["dtype"]])
    return out, meta


def prefixed(prefix, d):
    return {prefix + k: v.detach().clone() for k, v in d.items()}


# ----------------------------------------------------------------------------------------------- seed CNN

class SeedCnn(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        layers = []
        chans = [1, 16, 32, 64, 128]
        for i in range(4):
            layers += [nn.Conv2d(chans[i], chans[i + 1], 3, padding=1), nn.BatchNorm2d(chans[i + 1]), nn.ReLU(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(128 * 8 * 8, 4)

    def forward(self, x):
        return self.fc(self.flatten(self.dropout(self.features(x))))


def train_steps(model, make_opt, x, y, steps):
    opt = make_opt(model.parameters())
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return {k: v for k, v in model.named_parameters()}


def cnn():
    torch.manual_seed(1)
    model = SeedCnn(0.0)
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    x = torch.randn(2, 1, 128, 128, requires_grad=True)
    y = torch.tensor([1, 3])
    out = model(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    t = {"input": x.detach(), "target": y, "out": out.detach(), "loss": loss.detach().reshape(1), "grad.input": x.grad}
    t.update(prefixed("init.", init))
    t.update({"grad." + k: p.grad for k, p in model.named_parameters()})
    t.update(prefixed("after_forward.", {k: v for k, v in model.state_dict().items() if "running" in k or "num_batches" in k}))
    evalm = SeedCnn(0.5)
    evalm.load_state_dict(model.state_dict())
    evalm.eval()
    with torch.no_grad():
        t["eval.out"] = evalm(x.detach())
    for name, make in [("sgd.", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
                       ("adam.", lambda p: torch.optim.Adam(p, lr=1e-3, weight_decay=1e-4))]:
        m = SeedCnn(0.0)
        m.load_state_dict(init)
        t.update(prefixed(name, train_steps(m, make, x.detach(), y, 3)))
    save(os.path.join(OUT, "cnn.safetensors"), t)


# ----------------------------------------------------------------------------------------------- recurrent

class LstmHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 12, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(24, 3)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.fc(out[:, -1, :]), out, h, c


def lstm():
    torch.manual_seed(2)
    model = LstmHead()
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    x = torch.randn(3, 10, 8, requires_grad=True)
    y = torch.tensor([0, 2, 1])
    logits, out, h, c = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    t = {"input": x.detach(), "target": y, "logits": logits.detach(), "out": out.detach(), "h": h.detach(), "c": c.detach(),
         "loss": loss.detach().reshape(1), "grad.input": x.grad}
    t.update(prefixed("init.", init))
    t.update({"grad." + k: p.grad for k, p in model.named_parameters()})

    def steps(make):
        m = LstmHead()
        m.load_state_dict(init)
        opt = make(m.parameters())
        for _ in range(3):
            opt.zero_grad()
            F.cross_entropy(m(x.detach())[0], y).backward()
            opt.step()
        return {k: v for k, v in m.named_parameters()}

    t.update(prefixed("sgd.", steps(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=1e-2))))
    t.update(prefixed("sgd_nesterov.", steps(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2))))
    t.update(prefixed("adam.", steps(lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-2, amsgrad=True))))
    t.update(prefixed("adamw.", steps(lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=1e-1))))
    save(os.path.join(OUT, "lstm.safetensors"), t)


def gru():
    torch.manual_seed(3)
    model = nn.GRU(6, 12, num_layers=2, batch_first=True, bidirectional=True)
    x = torch.randn(2, 7, 6, requires_grad=True)
    h0 = torch.randn(4, 2, 12)
    out, h = model(x, h0)
    w = torch.randn_like(out)
    (out * w).sum().backward()
    t = {"input": x.detach(), "h0": h0, "out": out.detach(), "h": h.detach(), "loss_weight": w, "grad.input": x.grad}
    t.update(prefixed("init.", model.state_dict()))
    t.update({"grad." + k: p.grad for k, p in model.named_parameters()})
    save(os.path.join(OUT, "gru.safetensors"), t)


# ----------------------------------------------------------------------------------------------- EfficientNet blocks
# Written after torchvision.models.efficientnet (MBConv, FusedMBConv) and torchvision.ops.misc
# (Conv2dNormActivation, SqueezeExcitation); torchvision itself is not installed here.

def make_divisible(v, divisor=8, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def conv_norm_act(cin, cout, k, stride=1, groups=1, act=True, eps=1e-3):
    layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=eps)]
    if act:
        layers.append(nn.SiLU())
    return nn.Sequential(*layers)


class SqueezeExcitation(nn.Module):
    def __init__(self, cin, csq):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(cin, csq, 1)
        self.fc2 = nn.Conv2d(csq, cin, 1)
        self.activation = nn.SiLU()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x):
        s = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return s * x


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, k, stride):
        super().__init__()
        self.use_res = stride == 1 and cin == cout
        exp = make_divisible(cin * expand)
        layers = []
        if exp != cin:
            layers.append(conv_norm_act(cin, exp, 1))
        layers.append(conv_norm_act(exp, exp, k, stride, groups=exp))
        layers.append(SqueezeExcitation(exp, max(1, cin // 4)))
        layers.append(conv_norm_act(exp, cout, 1, act=False))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        r = self.block(x)
        return r + x if self.use_res else r


class FusedMBConv(nn.Module):
    def __init__(self, cin, cout, expand, k, stride):
        super().__init__()
        self.use_res = stride == 1 and cin == cout
        exp = make_divisible(cin * expand)
        if exp != cin:
            layers = [conv_norm_act(cin, exp, k, stride), conv_norm_act(exp, cout, 1, act=False)]
        else:
            layers = [conv_norm_act(cin, cout, k, stride)]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        r = self.block(x)
        return r + x if self.use_res else r


def blocks():
    torch.manual_seed(4)
    t = {}
    specs = [("mbconv", MBConv(16, 16, 4, 3, 1)), ("mbconv_s2", MBConv(16, 24, 6, 5, 2)),
             ("fused", FusedMBConv(16, 16, 4, 3, 1)), ("fused_e1", FusedMBConv(16, 24, 1, 3, 2))]
    for name, m in specs:
        # Non-trivial BatchNorm affine parameters so the test exercises them.
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                nn.init.uniform_(mod.weight, 0.5, 1.5)
                nn.init.uniform_(mod.bias, -0.2, 0.2)
        init = {k: v.detach().clone() for k, v in m.state_dict().items()}
        x = torch.randn(2, 16, 8, 8, requires_grad=True)
        out = m(x)
        w = torch.randn_like(out)
        (out * w).sum().backward()
        t[name + ".input"] = x.detach()
        t[name + ".out"] = out.detach()
        t[name + ".loss_weight"] = w
        t[name + ".grad.input"] = x.grad
        t.update(prefixed(name + ".init.", init))
        t.update({name + ".grad." + k: p.grad for k, p in m.named_parameters()})
        m.eval()
        with torch.no_grad():
            t[name + ".eval.out"] = m(x.detach())
        t.update(prefixed(name + ".after_forward.", {k: v for k, v in m.state_dict().items() if "running" in k}))
    save(os.path.join(OUT, "blocks.safetensors"), t)


# ----------------------------------------------------------------------------------------------- ops, losses, schedulers

def ops():
    torch.manual_seed(5)
    t = {}
    x = torch.randn(4, 6) * 3
    t["act.x"] = x
    for name, f in [("relu", F.relu), ("leaky_relu", lambda v: F.leaky_relu(v, 0.1)), ("elu", lambda v: F.elu(v, 0.7)),
                    ("silu", F.silu), ("gelu", F.gelu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
                    ("softmax", lambda v: F.softmax(v, 1)), ("log_softmax", lambda v: F.log_softmax(v, 0))]:
        xi = x.clone().requires_grad_(True)
        y = f(xi)
        w = torch.linspace(-1, 1, y.numel()).reshape(y.shape)
        (y * w).sum().backward()
        t["act." + name] = y.detach()
        t["act." + name + ".grad"] = xi.grad
    t["act.loss_weight"] = torch.linspace(-1, 1, x.numel()).reshape(x.shape)

    logits = torch.randn(5, 4)
    target = torch.tensor([0, 3, 1, 1, 2])
    weight = torch.tensor([0.5, 2.0, 1.0, 1.5])
    t["ce.logits"] = logits
    t["ce.target"] = target
    t["ce.weight"] = weight
    for red in ["mean", "sum", "none"]:
        for ls in [0.0, 0.2]:
            for wname, wt in [("w", weight), ("nw", None)]:
                li = logits.clone().requires_grad_(True)
                loss = F.cross_entropy(li, target, weight=wt, reduction=red, label_smoothing=ls)
                loss.sum().backward()
                key = f"ce.{red}.{ls}.{wname}"
                t[key] = loss.detach().reshape(-1)
                t[key + ".grad"] = li.grad
    # Spatial cross-entropy [N, C, L].
    sl = torch.randn(2, 3, 5, requires_grad=True)
    st = torch.randint(0, 3, (2, 5))
    loss = F.cross_entropy(sl, st, label_smoothing=0.1)
    loss.backward()
    t.update({"ce_spatial.logits": sl.detach(), "ce_spatial.target": st, "ce_spatial.loss": loss.detach().reshape(1), "ce_spatial.grad": sl.grad})

    bx = (torch.randn(3, 4) * 4).requires_grad_(True)
    by = torch.rand(3, 4).round()
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0])
    loss = F.binary_cross_entropy_with_logits(bx, by, pos_weight=pw)
    loss.backward()
    t.update({"bce.x": bx.detach(), "bce.y": by, "bce.pos_weight": pw, "bce.loss": loss.detach().reshape(1), "bce.grad": bx.grad})
    a = torch.randn(3, 4, requires_grad=True)
    b = torch.randn(3, 4)
    for name, f in [("mse", F.mse_loss), ("l1", F.l1_loss)]:
        a.grad = None
        loss = f(a, b)
        loss.backward()
        t.update({name + ".a": a.detach(), name + ".b": b, name + ".loss": loss.detach().reshape(1), name + ".grad": a.grad.clone()})

    # Reductions with unbiased variance and max over dims.
    r = torch.randn(3, 4, 5)
    t["red.x"] = r
    t["red.var_12_unbiased"] = r.var(dim=(1, 2), unbiased=True)
    t["red.std_0_biased"] = r.std(dim=0, unbiased=False)
    t["red.max_1"] = r.max(dim=1).values
    t["red.argmax_2"] = r.argmax(dim=2)
    t["red.logsumexp_1"] = torch.logsumexp(r, dim=1)

    def lrs(make_sched, opt_factory, n, momentum=False):
        p = [torch.zeros(1, requires_grad=True)]
        opt = opt_factory(p)
        s = make_sched(opt)
        vals, moms = [], []
        for _ in range(n):
            vals.append(opt.param_groups[0]["lr"])
            if momentum:
                g = opt.param_groups[0]
                moms.append(g["betas"][0] if "betas" in g else g["momentum"])
            opt.step()
            s.step()
        return torch.tensor(vals, dtype=torch.float64), torch.tensor(moms, dtype=torch.float64)

    sgd = lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)
    adam = lambda p: torch.optim.Adam(p, lr=0.01)
    t["sched.step"] = lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), sgd, 10)[0]
    t["sched.cosine"] = lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001), sgd, 20)[0]
    v, m = lrs(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=20), sgd, 20, True)
    t["sched.onecycle_sgd.lr"], t["sched.onecycle_sgd.momentum"] = v, m
    v, m = lrs(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.05, total_steps=15, pct_start=0.4, anneal_strategy="linear"), adam, 15, True)
    t["sched.onecycle_adam.lr"], t["sched.onecycle_adam.momentum"] = v, m

    # clip_grad_norm_
    ps = [torch.randn(3, 4, requires_grad=True), torch.randn(5, requires_grad=True)]
    for p in ps:
        p.grad = torch.randn_like(p) * 3
    t["clip.g0"], t["clip.g1"] = ps[0].grad.clone(), ps[1].grad.clone()
    total = torch.nn.utils.clip_grad_norm_(ps, 1.5)
    t["clip.total"] = total.reshape(1)
    t["clip.g0_after"], t["clip.g1_after"] = ps[0].grad, ps[1].grad
    save(os.path.join(OUT, "ops.safetensors"), t)


def layers():
    """Single layers with non-default geometry: output and input gradient for loss = sum(out * w)."""
    torch.manual_seed(7)
    specs = [
        ("conv1d", nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2), (2, 4, 11)),
        ("conv2d_dw", nn.Conv2d(4, 4, 3, stride=2, padding=2, dilation=2, groups=4), (2, 4, 9, 8)),
        ("conv2d_rect", nn.Conv2d(3, 5, (3, 1), stride=(1, 2), padding=(1, 0), bias=False), (2, 3, 6, 7)),
        ("maxpool2d_ceil", nn.MaxPool2d(3, 2, 1, ceil_mode=True), (2, 3, 8, 7)),
        ("maxpool1d", nn.MaxPool1d(2), (2, 3, 9)),
        ("avgpool2d_nopad", nn.AvgPool2d(3, 2, 1, count_include_pad=False), (2, 3, 7, 6)),
        ("avgpool1d", nn.AvgPool1d(3, 2, 1), (2, 3, 9)),
        ("adaptive2d", nn.AdaptiveAvgPool2d((3, 5)), (2, 3, 7, 9)),
        ("adaptive1d", nn.AdaptiveAvgPool1d(4), (2, 3, 10)),
        ("layernorm", nn.LayerNorm([3, 5]), (2, 4, 3, 5)),
        ("bn1d", nn.BatchNorm1d(5), (6, 5)),
        ("bn1d_seq", nn.BatchNorm1d(3), (4, 3, 7)),
        ("linear3d", nn.Linear(5, 4), (2, 3, 5)),
    ]
    t = {}
    for name, m, shape in specs:
        for p_ in m.parameters():
            if p_.dim() == 1 and "norm" in type(m).__name__.lower():
                nn.init.uniform_(p_, 0.5, 1.5)
        x = torch.randn(*shape, requires_grad=True)
        out = m(x)
        w = torch.randn_like(out)
        (out * w).sum().backward()
        t[name + ".input"] = x.detach()
        t[name + ".out"] = out.detach()
        t[name + ".loss_weight"] = w
        t[name + ".grad.input"] = x.grad
        t.update(prefixed(name + ".init.", {k: v for k, v in m.state_dict().items() if "running" not in k and "num_batches" not in k}))
        t.update({name + ".grad." + k: p_.grad for k, p_ in m.named_parameters()})
    save(os.path.join(OUT, "layers.safetensors"), t)


def interop():
    torch.manual_seed(6)
    t = {"a.weight": torch.randn(3, 2), "b": torch.arange(5, dtype=torch.int64), "c": torch.randn(2, 2).double(),
         "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3)}
    save(os.path.join(OUT, "interop.safetensors"), t, {"format": "pt", "model": "test"})


def verify(path):
    """Reads a file written by Affetto.Nn and prints name, dtype, shape and sum per tensor plus the metadata."""
    tensors, meta = load(path)
    for k in sorted(tensors):
        v = tensors[k]
        print(f"{k} {str(v.dtype).replace('torch.', '')} {list(v.shape)} {float(v.double().sum()):.6f}")
    print("metadata " + json.dumps(meta, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        verify(sys.argv[2])
        sys.exit(0)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    cnn()
    lstm()
    gru()
    blocks()
    ops()
    layers()
    interop()
    print("fixtures written to", OUT)
