#!/usr/bin/python3
"""Reference fixtures for tests/Affetto.Audio.Tests/IO (run with Debian's /usr/bin/python3).

codecs/soundfile_reference.json
    For every file in ../shared/data/codecs/{formats,mp3}: python-soundfile's info (samplerate, channels,
    frames, format, subtype), statistics of the full float32 decode (frames decoded, sum, sum of squares in
    float64) and a 512-frame float32 slice read after seek(1000), base64 little-endian.
codecs/resample_reference.json
    A band-limited multi-tone signal (parameters stored, so C# regenerates the input) resampled by
    torchaudio.functional.resample with librosa's 'kaiser_best' settings, for several rate pairs.
"""
import base64
import json
import os
import sys

import numpy as np
import soundfile as sf
import torch
import torchaudio.functional as AF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "codecs")
DATA = os.environ.get("AFFETTO_DATA", os.path.join(HERE, "..", "..", "..", "..", "shared", "data"))
SLICE_START = 1000
SLICE_FRAMES = 512


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def codec_reference():
    files = []
    for sub in ("formats", "mp3"):
        folder = os.path.join(DATA, "codecs", sub)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            info = sf.info(path)
            full, _ = sf.read(path, dtype="float32", always_2d=True)
            with sf.SoundFile(path) as f:
                f.seek(SLICE_START)
                part = f.read(SLICE_FRAMES, dtype="float32", always_2d=True)
            files.append({
                "path": f"codecs/{sub}/{name}",
                "samplerate": info.samplerate,
                "channels": info.channels,
                "frames": info.frames,
                "format": info.format,
                "subtype": info.subtype,
                "decodedFrames": int(full.shape[0]),
                "sum": float(full.astype(np.float64).sum()),
                "sumSquares": float((full.astype(np.float64) ** 2).sum()),
                # soundfile's seek+read and a slice of the full decode agree for every file (checked here).
                "seekMatchesFull": bool(np.array_equal(part, full[SLICE_START:SLICE_START + SLICE_FRAMES])),
                "sliceStart": SLICE_START,
                "slice": b64(part),
            })
    return {"libsndfile": sf.__libsndfile_version__, "files": files}


# Tones well inside every output passband (below 0.35 * the lowest output Nyquist of 4000 Hz).
TONES = [(110.0, 0.30, 0.1), (440.0, 0.25, 1.3), (1234.5, 0.20, 2.1), (2750.0, 0.15, 0.7)]
PAIRS = [(44100, 22050), (48000, 22050), (22050, 44100), (8000, 22050), (32000, 16000)]
DURATION = 0.1


def tones(rate, frames):
    t = np.arange(frames, dtype=np.float64) / rate
    return sum(a * np.sin(2 * np.pi * f * t + p) for f, a, p in TONES)


def resample_reference():
    cases = []
    for rin, rout in PAIRS:
        n = int(DURATION * rin)
        x = tones(rin, n).astype(np.float32)
        y = AF.resample(torch.from_numpy(x).double(), rin, rout, lowpass_filter_width=64,
                        rolloff=0.9475937167399596, resampling_method="kaiser_window",
                        beta=14.769656459379492).numpy().astype(np.float32)
        cases.append({"inputRate": rin, "outputRate": rout, "inputFrames": n, "output": b64(y)})
    return {"tones": [{"frequency": f, "amplitude": a, "phase": p} for f, a, p in TONES], "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    if os.path.isdir(os.path.join(DATA, "codecs")):
        with open(os.path.join(OUT, "soundfile_reference.json"), "w") as f:
            json.dump(codec_reference(), f, indent=1)
    else:
        print(f"no shared data at {DATA}: soundfile_reference.json not regenerated", file=sys.stderr)
    with open(os.path.join(OUT, "resample_reference.json"), "w") as f:
        json.dump(resample_reference(), f, indent=1)


if __name__ == "__main__":
    main()
