#!/usr/bin/python3
"""Python peer of bench/features: soundfile decode, torchaudio resample to 22050 Hz mono, 128-band log-mel
(MelSpectrogram n_fft 2048, hop 512, slaney/slaney, power 2, center, constant padding + AmplitudeToDB top_db 80)
on ONE thread. Prints: audio_seconds wall_seconds 1 decode_s feature_s files process_cpu_s
(decode_s / feature_s: thread CPU seconds of each stage, summed over files)."""
import sys
import time

import soundfile as sf
import torch
import torchaudio

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
SR = 22050
files = [l.strip() for l in open(sys.argv[1]) if l.strip()]
mel = torchaudio.transforms.MelSpectrogram(sample_rate=SR, n_fft=2048, hop_length=512, n_mels=128, power=2.0, center=True,
                                           pad_mode="constant", norm="slaney", mel_scale="slaney")
db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80.0)


def run(path):
    t0 = time.thread_time()
    y, sr = sf.read(path, dtype="float32", always_2d=True)   # Opus: libsndfile reports 48 kHz
    x = torch.from_numpy(y.mean(axis=1))
    if sr != SR:
        x = torchaudio.functional.resample(x, sr, SR)
    t1 = time.thread_time()
    with torch.no_grad():
        out = db(mel(x))
    t2 = time.thread_time()
    return x.shape[0] / SR, t1 - t0, t2 - t1, out


run(files[0])  # warm-up, not timed
audio = dec = feat = 0.0
start = time.perf_counter()
cpu0 = time.process_time()
for p in files:
    a, d, f, _ = run(p)
    audio += a
    dec += d
    feat += f
wall = time.perf_counter() - start
cpu = time.process_time() - cpu0
print(f"{audio:.3f} {wall:.4f} 1 {dec:.4f} {feat:.4f} {len(files)} {cpu:.4f}")
