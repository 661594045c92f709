#!/usr/bin/python3
"""Python peer of bench/analyze: what `affetto analyze` does, written the way a researcher would with PyTorch 1.13.

usage: peer.py --model M.safetensors --threads N --out OUT.json [--channels-last] FILE...

Per file: soundfile decode, downmix, torchaudio resample to the model's rate, segments (segment_seconds every
hop_seconds, tail dropped; a short file is zero-padded to one segment), the image the model's front_end metadata
names (|STFT|^power with a periodic Hann window, centred with zero padding; mel filters for mel/logmel; power_to_db
with top_db per segment; the energy crop as the file stores it), the stored per-row normalisation, the network rebuilt in PyTorch from the
model's network metadata and loaded with the same safetensors weights (the header is parsed here with json + numpy,
the `safetensors` package being absent), softmax, and the mean of the segment probabilities (soft voting).
Segments go through the network 32 at a time, as Affetto streams them.

Writes OUT.json: [{"file", "duration", "probabilities": {"Q1".."Q4"}}] and prints one line:
audio_seconds wall_seconds decode_s frontend_s network_s files load_s
(wall_seconds from just before the model is loaded to the end, so interpreter start and imports are NOT counted;
load_s is the model load within it; the stage times are wall seconds summed over files).
"""
import argparse
import json
import math
import os
import sys
import time

import soundfile as sf
import torch
import torch.nn.functional as F
import torchaudio

CHUNK = 32

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "python"))
from affetto_torch import build_network, load_safetensors  # noqa: E402  (the networks, as in the fixtures)


# ------------------------------------------------------------------------------------------------ front end
class FrontEnd:
    def __init__(self, fe):
        if not fe.get("use_spectrogram", True) or fe.get("use_summary_features", False):
            sys.exit("peer.py: the peer computes spectrogram images only (no summary features)")
        self.sr = fe["sample_rate"]
        self.win = int(round(fe["segment_seconds"] * self.sr))
        self.hop = int(round(fe["hop_seconds"] * self.sr))
        self.kind = fe["feature"]
        self.n_fft = fe["n_fft"]
        self.hop_length = fe["hop_length"]
        self.win_length = fe.get("win_length") or self.n_fft
        self.power = fe["power"]
        self.top_db = fe.get("top_db")
        # Energy crop, in either form a model file may hold: "kept_rows" (a dataset-level crop fixed at training time:
        # only those frequency rows of the dB image are kept, crop_threshold is then informational) or, in model files
        # without it, a per-segment crop that zeroes the rows and frames below crop_threshold of the segment maximum.
        self.kept_rows = fe.get("kept_rows")
        self.crop = 0.0 if "kept_rows" in fe else fe.get("crop_threshold", 0.0)
        self.window = torch.hann_window(self.win_length, periodic=True)
        self.fb = None
        if self.kind in ("mel", "log_mel"):
            f_max = fe.get("f_max") or self.sr / 2
            norm = fe.get("norm", "slaney")
            self.fb = torchaudio.functional.melscale_fbanks(
                self.n_fft // 2 + 1, fe.get("f_min", 0.0), f_max, fe["n_mels"], self.sr,
                norm="slaney" if norm == "slaney" else None, mel_scale="htk" if fe.get("htk") else "slaney")
        mean, std = fe.get("spectrogram_mean"), fe.get("spectrogram_std")
        self.mean = None if mean is None else torch.tensor(mean, dtype=torch.float32)[:, None]
        self.std = None if std is None else torch.tensor(std, dtype=torch.float32)[:, None]

    def segments(self, x):
        """[S, win] segments of a mono signal."""
        if x.shape[0] < self.win:
            return F.pad(x, (0, self.win - x.shape[0]))[None]
        return x.unfold(0, self.win, self.hop)

    def images(self, seg):
        """[S, 1, H, W] model inputs of [S, win] segments."""
        spec = torch.stft(seg, self.n_fft, self.hop_length, self.win_length, self.window, center=True,
                          pad_mode="constant", return_complex=True).abs()
        if self.power != 1:
            spec = spec.pow(self.power)
        if self.fb is not None:
            spec = torch.matmul(spec.transpose(1, 2), self.fb).transpose(1, 2)
        if self.crop > 0:
            top = spec.amax(dim=(1, 2), keepdim=True)
            scaled_ = spec / torch.where(top > 0, top, torch.ones_like(top))
            keep_rows = scaled_.amax(dim=2, keepdim=True) >= self.crop
            keep_cols = scaled_.amax(dim=1, keepdim=True) >= self.crop
            spec = spec * (keep_rows & keep_cols)
        if self.kind != "mel":
            spec = 10.0 * torch.log10(spec.clamp(min=1e-10))
            if self.top_db is not None:
                spec = torch.maximum(spec, spec.amax(dim=(1, 2), keepdim=True) - self.top_db)
        if self.kept_rows is not None:
            spec = spec[:, self.kept_rows]
        if self.mean is not None:
            spec = (spec - self.mean) / self.std
        return spec[:, None]


class Views:
    """A front end with views (an ensemble whose members read their own spectrograms): every distinct view computed
    once per segment, member i given view i."""

    def __init__(self, fe):
        keys = [json.dumps(v, sort_keys=True) for v in fe["views"]]
        distinct = list(dict.fromkeys(keys))
        self.fronts = [FrontEnd(json.loads(k)) for k in distinct]
        self.index = [distinct.index(k) for k in keys]
        self.sr = fe["sample_rate"]

    def segments(self, x):
        return self.fronts[0].segments(x)

    def images(self, seg):
        computed = [f.images(seg) for f in self.fronts]
        return [computed[i] for i in self.index]


def make_front_end(fe):
    return Views(fe) if fe.get("views") else FrontEnd(fe)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--channels-last", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    start = time.perf_counter()
    tensors, meta = load_safetensors(a.model)
    if meta.get("affetto.format") != "affetto-emotion-1":
        sys.exit(f"peer.py: {a.model} is not an Affetto emotion model")
    fe = make_front_end(json.loads(meta["affetto.front_end"]))
    labels = json.loads(meta["affetto.labels"])
    net = build_network(json.loads(meta["affetto.network"]))
    net.load_state_dict(tensors, strict=True)
    net.eval()
    memory_format = torch.channels_last if a.channels_last else torch.contiguous_format
    net = net.to(memory_format=memory_format)
    load_s = time.perf_counter() - start

    order = [labels.index(q) for q in ("Q1", "Q2", "Q3", "Q4")]
    results, audio, decode_s, front_s, net_s = [], 0.0, 0.0, 0.0, 0.0
    with torch.no_grad():
        for path in a.files:
            t0 = time.perf_counter()
            y, sr = sf.read(path, dtype="float32", always_2d=True)
            x = torch.from_numpy(y.mean(axis=1))
            if sr != fe.sr:
                x = torchaudio.functional.resample(x, sr, fe.sr)
            t1 = time.perf_counter()
            segs = fe.segments(x)
            total = torch.zeros(len(labels), dtype=torch.float64)
            for i in range(0, segs.shape[0], CHUNK):
                t2 = time.perf_counter()
                images = fe.images(segs[i:i + CHUNK])
                images = ([v.contiguous(memory_format=memory_format) for v in images] if isinstance(images, list)
                          else images.contiguous(memory_format=memory_format))
                t3 = time.perf_counter()
                total += torch.softmax(net(images), dim=1).sum(0).double()
                t4 = time.perf_counter()
                front_s += t3 - t2
                net_s += t4 - t3
            decode_s += t1 - t0
            p = (total / segs.shape[0]).tolist()
            duration = x.shape[0] / fe.sr
            audio += duration
            results.append({"file": path, "duration": duration,
                            "probabilities": {q: p[c] for q, c in zip(("Q1", "Q2", "Q3", "Q4"), order)}})
    wall = time.perf_counter() - start
    with open(a.out, "w") as f:
        json.dump(results, f)
    print(f"{audio:.3f} {wall:.4f} {decode_s:.4f} {front_s:.4f} {net_s:.4f} {len(a.files)} {load_s:.4f}")


if __name__ == "__main__":
    main()
