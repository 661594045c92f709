#!/usr/bin/python3
"""Reference fixtures for Affetto.Audio.Effects tests (run with Debian's /usr/bin/python3).

* Fades: torchaudio.transforms.Fade. torchaudio samples its curve on linspace(0, 1, L), i.e. at i/(L-1); Affetto's
  fade of N frames samples at i/N, so a torchaudio fade of length N+1 gives the same gains. Shapes compared:
  linear -> Linear, quarter_sine -> EqualPower, half_sine -> SCurve (the other torchaudio shapes are different curves).
* Segmentation: torch.Tensor.unfold(0, size, step) is the drop-the-tail policy.
Output: effects/effects.json (small; float32 values written as decimal text).
"""
import json
import os
import sys

import torch
import torchaudio

torch.manual_seed(1234)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "effects")
os.makedirs(OUT, exist_ok=True)

SR = 1000
x = (torch.rand(400) * 2 - 1).float()
fades = []
for shape, ours in (("linear", "Linear"), ("quarter_sine", "EqualPower"), ("half_sine", "SCurve")):
    for n_in, n_out in ((50, 120), (150, 0), (0, 60), (250, 200)):
        fade = torchaudio.transforms.Fade(fade_in_len=n_in + 1 if n_in else 0,
                                          fade_out_len=n_out + 1 if n_out else 0, fade_shape=shape)
        y = fade(x.unsqueeze(0)).squeeze(0)
        fades.append({"shape": shape, "curve": ours, "fade_in_frames": n_in, "fade_out_frames": n_out,
                      "output": [float("%.9g" % v) for v in y]})

segments = []
sig = torch.arange(1050, dtype=torch.float32)
for size, step in ((200, 100), (500, 50), (100, 300)):
    w = sig.unfold(0, size, step)
    segments.append({"signal_length": 1050, "size": size, "step": step, "count": int(w.shape[0]),
                     "starts": [int(r[0]) for r in w]})

meta = {"sample_rate": SR, "input": [float("%.9g" % v) for v in x], "fades": fades, "segments": segments,
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "torchaudio": torchaudio.__version__}}
with open(os.path.join(OUT, "effects.json"), "w") as f:
    json.dump(meta, f, separators=(",", ":"))
print("wrote", os.path.join(OUT, "effects.json"))
