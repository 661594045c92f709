#!/usr/bin/python3
"""Reference fixtures for Affetto.Audio Transforms/Filters/Features tests.

Run with Debian's /usr/bin/python3 (torch, torchaudio, scipy, numpy). librosa is not available here, so:
  * STFT, mel filters, mel spectrogram, dB, MFCC, centroid come from torch / torchaudio (independent code);
  * FFT and windows from scipy;
  * chroma, rms, zcr, rolloff, bandwidth, contrast, flatness are librosa-only features: the references below are
    naive numpy re-implementations of librosa 0.10's documented formulas (float64), written for this script.
Outputs are float32 .npy files in Fixtures/features/ plus features.json (parameters, versions, notes).
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.fft
import scipy.signal
import torch
import torchaudio

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "features")
os.makedirs(OUT, exist_ok=True)
SR = 22050
meta = {"sample_rate": SR, "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                                         "torch": torch.__version__, "torchaudio": torchaudio.__version__},
        "files": {}}


def save(name, arr, note):
    arr = np.ascontiguousarray(np.asarray(arr, dtype=np.float32))
    np.save(os.path.join(OUT, name + ".npy"), arr)
    meta["files"][name] = {"shape": list(arr.shape), "note": note}


def signal(n, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    dur = n / SR
    chirp = scipy.signal.chirp(t, f0=100, t1=dur, f1=6000, method="logarithmic")
    y = 0.05 * rng.standard_normal(n) + 0.3 * chirp + 0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 1000 * t)
    y[: n // 10] *= np.linspace(0, 1, n // 10)  # fade-in so edges are not trivial
    return y.astype(np.float32)


sig = signal(SR, 1)            # 1 s
short = signal(4096, 2)        # STFT grid (keeps complex fixtures small)
odd = signal(3001, 3)          # odd length
save("signal_1s", sig, "seeded noise + log chirp 100-6000 Hz + 440/1000 Hz sines, 22050 samples")
save("signal_short", short, "same recipe, 4096 samples, seed 2")
save("signal_odd", odd, "same recipe, 3001 samples (odd), seed 3")

# ---- windows (scipy.signal.get_window, fftbins=True = periodic) ----
for name, n in [("hann", 2048), ("hann", 501), ("hamming", 501), ("blackman", 501), ("hann", 1024)]:
    save(f"window_{name}_{n}", scipy.signal.get_window(name, n, fftbins=True), f"scipy.signal.get_window('{name}', {n}, fftbins=True)")

# ---- FFT (scipy.fft, float64 input rounded to float32) ----
rng = np.random.default_rng(7)
for n in [501, 1009, 4096, 3 * 5 * 7 * 11]:
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    X = scipy.fft.fft(x.astype(np.complex128))
    save(f"fft_{n}_in", np.stack([x.real, x.imag]), "complex input [re; im]")
    save(f"fft_{n}_out", np.stack([X.real, X.imag]), "scipy.fft.fft of the input, [re; im]")
    r = rng.standard_normal(n).astype(np.float32)
    R = scipy.fft.rfft(r.astype(np.float64))
    save(f"rfft_{n}_in", r, "real input")
    save(f"rfft_{n}_out", np.stack([R.real, R.imag]), "scipy.fft.rfft of the input, [re; im]")

# ---- STFT grid (torch.stft, hann periodic window of win_length centred in n_fft) ----
stft_cases = [
    # name, signal, n_fft, hop (None = win/4), win (None = n_fft), center, pad_mode
    ("s2048_hopnull_const", short, 2048, None, None, True, "constant"),
    ("s2048_512_reflect", short, 2048, 512, None, True, "reflect"),
    ("s1024_256_win512_const", short, 1024, 256, 512, True, "constant"),
    ("s512_128_nocenter", short, 512, 128, None, False, "constant"),
    ("s501_hopnull_const", odd, 501, None, None, True, "constant"),
    ("s501_128_reflect", odd, 501, 128, None, True, "reflect"),
    ("s501_128_nocenter", odd, 501, 128, None, False, "constant"),
]
meta["stft_cases"] = []
for name, y, n_fft, hop, win, center, pad_mode in stft_cases:
    w = win or n_fft
    h = hop or w // 4
    S = torch.stft(torch.from_numpy(y).double(), n_fft=n_fft, hop_length=h, win_length=w,
                   window=torch.hann_window(w, periodic=True, dtype=torch.float64), center=center, pad_mode=pad_mode,
                   normalized=False, onesided=True, return_complex=True).numpy()
    save(f"stft_{name}", np.stack([S.real, S.imag]), "torch.stft (float64), [re; im] x [bins, frames]")
    meta["stft_cases"].append({"name": name, "signal": {id(short): "signal_short", id(odd): "signal_odd"}[id(y)], "n_fft": n_fft,
                               "hop_length": hop, "win_length": win, "center": center, "pad_mode": pad_mode})

# ---- mel filter banks (torchaudio) ----
for scale in ["slaney", "htk"]:
    fb = torchaudio.functional.melscale_fbanks(n_freqs=257, f_min=0.0, f_max=SR / 2, n_mels=40, sample_rate=SR,
                                               norm="slaney", mel_scale=scale)
    save(f"melfb_512_40_{scale}", fb.numpy().T, f"torchaudio melscale_fbanks(257 bins, 40 mels, norm='slaney', mel_scale='{scale}') transposed to [mels, bins]")
fb = torchaudio.functional.melscale_fbanks(n_freqs=257, f_min=300.0, f_max=8000.0, n_mels=40, sample_rate=SR, norm=None, mel_scale="slaney")
save("melfb_512_40_slaney_nonorm_300_8000", fb.numpy().T, "melscale_fbanks(fmin 300, fmax 8000, norm=None, slaney)")

# ---- mel spectrogram, dB, MFCC (torchaudio, float32) ----
x = torch.from_numpy(sig)
melkw = dict(sample_rate=SR, n_fft=2048, hop_length=512, n_mels=128, power=2.0, center=True, pad_mode="constant",
             norm="slaney", mel_scale="slaney")
mel = torchaudio.transforms.MelSpectrogram(**melkw)(x)
save("mel_1s", mel.numpy(), "torchaudio MelSpectrogram(n_fft 2048, hop 512, 128 mels, power 2, center, constant, slaney/slaney)")
logmel = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80.0)(mel)
save("logmel_1s", logmel.numpy(), "AmplitudeToDB(power, top_db=80) of mel_1s = librosa power_to_db(ref=1, amin=1e-10, top_db=80)")
mfcc = torchaudio.transforms.MFCC(sample_rate=SR, n_mfcc=20, dct_type=2, norm="ortho", log_mels=False,
                                  melkwargs={k: v for k, v in melkw.items() if k != "sample_rate"})(x)
save("mfcc_1s", mfcc.numpy(), "torchaudio MFCC(20, dct 2 ortho, log_mels False -> AmplitudeToDB(power, top_db 80)) = librosa mfcc")
cent = torchaudio.functional.spectral_centroid(x, SR, pad=0, window=torch.hann_window(2048), n_fft=2048, hop_length=512, win_length=2048)
save("centroid_1s_reflect", cent.numpy()[None, :], "torchaudio spectral_centroid (magnitude, center=True, pad_mode reflect)")

# ---- librosa-only features: naive float64 re-implementations of librosa 0.10's documented formulas ----
y64 = sig.astype(np.float64)
n_fft, hop = 2048, 512
S = torch.stft(torch.from_numpy(y64), n_fft=n_fft, hop_length=hop, window=torch.hann_window(n_fft, dtype=torch.float64),
               center=True, pad_mode="constant", return_complex=True).numpy()
mag = np.abs(S)
power = mag ** 2
freq = np.linspace(0, SR / 2, 1 + n_fft // 2)


def chroma_fb(sr, n_fft, n_chroma=12, tuning=0.0, ctroct=5.0, octwidth=2.0, base_c=True):
    # librosa.filters.chroma
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frqbins = n_chroma * np.log2(frequencies / (a440 / 16))
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidth = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    half = np.round(float(n_chroma) / 2)
    D = np.remainder(D + half + 10 * n_chroma, n_chroma) - half
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidth, (n_chroma, 1))) ** 2)
    wts = wts / np.sqrt(np.sum(wts ** 2, axis=0, keepdims=True))
    wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    if base_c:
        wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return wts[:, : int(1 + n_fft / 2)]


cfb = chroma_fb(SR, n_fft)
save("chromafb_2048", cfb, "naive librosa.filters.chroma(22050, 2048) defaults (tuning 0, ctroct 5, octwidth 2, norm 2, base_c)")
raw = cfb @ power
chroma = raw / np.max(np.abs(raw), axis=0, keepdims=True)
save("chroma_1s", chroma, "naive chroma_stft: chroma filters . |STFT|^2, inf-norm per frame (tuning 0)")

ypad = np.pad(y64, n_fft // 2, mode="constant")
frames = np.lib.stride_tricks.sliding_window_view(ypad, n_fft)[::hop]
save("rms_1s", np.sqrt(np.mean(frames ** 2, axis=1))[None, :], "naive feature.rms(y): zero-padded frames of 2048, hop 512")
yedge = np.pad(y64, n_fft // 2, mode="edge")
fe = np.lib.stride_tricks.sliding_window_view(yedge, n_fft)[::hop].copy()
fe[np.abs(fe) <= 1e-10] = 0
sb = np.signbit(fe)
zcr = np.sum(sb[:, 1:] != sb[:, :-1], axis=1) / n_fft
save("zcr_1s", zcr[None, :], "naive zero_crossing_rate: edge padding, threshold 1e-10, signbit, pad=False, mean over 2048")

norm1 = mag / mag.sum(axis=0, keepdims=True)
centroid = np.sum(freq[:, None] * norm1, axis=0)
save("centroid_1s", centroid[None, :], "naive spectral_centroid on |STFT| (constant padding)")
bw = np.sqrt(np.sum(norm1 * (freq[:, None] - centroid[None, :]) ** 2, axis=0))
save("bandwidth_1s", bw[None, :], "naive spectral_bandwidth p=2 norm=True")
cum = np.cumsum(mag, axis=0)
thr = 0.85 * cum[-1]
ind = np.where(cum < thr[None, :], np.nan, 1)
save("rolloff_1s", np.nanmin(ind * freq[:, None], axis=0)[None, :], "naive spectral_rolloff roll_percent 0.85")
st = np.maximum(1e-10, mag ** 2)
flat = np.exp(np.mean(np.log(st), axis=0)) / np.mean(st, axis=0)
save("flatness_1s", flat[None, :], "naive spectral_flatness amin 1e-10 power 2")


def power_to_db(S, top_db=80.0, amin=1e-10):
    d = 10.0 * np.log10(np.maximum(amin, S))
    return np.maximum(d, d.max() - top_db)


fmin, n_bands, quantile = 200.0, 6, 0.02
octa = np.zeros(n_bands + 2)
octa[1:] = fmin * (2.0 ** np.arange(0, n_bands + 1))
valley = np.zeros((n_bands + 1, mag.shape[1]))
peak = np.zeros_like(valley)
for k, (lo, hi) in enumerate(zip(octa[:-1], octa[1:])):
    band = np.logical_and(freq >= lo, freq <= hi)
    idx = np.flatnonzero(band)
    if k > 0:
        band[idx[0] - 1] = True
    if k == n_bands:
        band[idx[-1] + 1:] = True
    sub = mag[band, :]
    if k < n_bands:
        sub = sub[:-1, :]
    q = int(np.maximum(np.rint(quantile * np.sum(band)), 1))
    srt = np.sort(sub, axis=0)
    valley[k] = np.mean(srt[:q], axis=0)
    peak[k] = np.mean(srt[-q:], axis=0)
save("contrast_1s", power_to_db(peak) - power_to_db(valley), "naive spectral_contrast fmin 200, 6 bands, quantile 0.02, dB with top_db 80")

meta["notes"] = ("librosa-only features (chroma, rms, zcr, centroid on constant padding, bandwidth, rolloff, flatness, contrast) "
                 "use naive numpy re-implementations of librosa 0.10 formulas written in this script; torch/torchaudio/scipy "
                 "references are the libraries' own functions.")
with open(os.path.join(OUT, "features.json"), "w") as f:
    json.dump(meta, f, indent=1, sort_keys=True)
print("wrote", len(meta["files"]), "arrays to", OUT)
