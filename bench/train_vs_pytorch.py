#!/usr/bin/env python3
"""softnum_train against PyTorch fp32: the same training epoch, side by side, in one run.

Both sides train the same network (the MLP 784-256-10 or PositNN's LeNet-5) on the same first N
Fashion-MNIST training images for one epoch, with the same batch and SGD hyperparameters
(softnum_train's defaults: MLP lr 0.02 momentum 0.9, LeNet-5 lr 1/16 momentum 0.5, batch 64), on
one thread (torch.set_num_threads(1), softnum_train --threads 1). The training time of the epoch
is compared (the test pass is excluded on both sides). One row per format:
  model  format  images  pytorch_s  softnum_s  ratio (softnum / PyTorch fp32)
and, for LeNet-5, softnum float32 on 2 threads against 1 (the thread-scaling target).

Needs PyTorch for the PyTorch column (Debian python3-torch: run with /usr/bin/python3); without it
the column is skipped with a message. Issue 13's targets (one thread): float32 <= 1.5x; formats
with fp32 accumulation <= 2x; formats of <= 16 bits with their own accumulator and the quire <= 8x;
LeNet-5 batch 64 on 2 threads >= 1.7x faster than on 1.

  /usr/bin/python3 bench/train_vs_pytorch.py --exe build/rel/examples/train/softnum_train
  /usr/bin/python3 bench/train_vs_pytorch.py --exe ... --models lenet5 --formats float32,posit16 \\
      --lenet-images 6000
"""

import argparse
import csv
import gzip
import os
import subprocess
import sys
import tempfile
import time

# The default rows: the format classes. Each item is a softnum_train --format SPEC and
# optional extra arguments (separated by spaces).
DEFAULT_FORMATS = [
    "float32",
    "fp8_recipe",
    "fp16_mixed",
    "posit16 --accumulator float32",
    "binary16",
    "bfloat16",
    "float8_e4m3fn",
    "posit16",
    "posit16 --rounding stochastic",
    "posit8",
    "fixed8_8",
    "fixed8_8 --rounding stochastic",
    "positnn_mixed",
]
MEAN, STD = 0.2860, 0.3300
DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path, limit):
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(magic & 0xFF)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)[:limit]


def load_images(model_name, data_dir, kind, limit):
    """Normalised images (N x 1 x 28 x 28 for LeNet-5, N x 784 for the MLP) and labels as tensors."""
    import numpy as np
    import torch
    pixels = read_idx(os.path.join(data_dir, f"{kind}-images-idx3-ubyte.gz"), limit)
    labels = read_idx(os.path.join(data_dir, f"{kind}-labels-idx1-ubyte.gz"), limit)
    x = torch.from_numpy(((pixels / 255.0 - MEAN) / STD).astype(np.float32))
    x = x.unsqueeze(1) if model_name == "lenet5" else x.reshape(len(x), 784)
    return x, torch.from_numpy(labels.astype(np.int64))


def make_net(model_name):
    """The network and softnum_train's default (lr, momentum) for it."""
    from torch import nn
    if model_name == "lenet5":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.MaxPool2d(2), nn.ReLU(),
                             nn.Conv2d(6, 16, 5), nn.MaxPool2d(2), nn.ReLU(),
                             nn.Conv2d(16, 120, 5), nn.ReLU(), nn.Flatten(),
                             nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), 1 / 16, 0.5
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)), 0.02, 0.9


def train_epoch(net, opt, x, y, batch):
    """One shuffled epoch of SGD on cross-entropy; its seconds."""
    import torch
    import torch.nn.functional as F
    start = time.perf_counter()
    net.train()
    order = torch.randperm(len(x))
    for i in range(0, len(x), batch):
        idx = order[i:i + batch]
        loss = F.cross_entropy(net(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def pytorch_epoch(model_name, images, data_dir, batch, threads, seed=1):
    """Seconds of one training epoch in PyTorch fp32 (None when torch is missing)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x, y = load_images(model_name, data_dir, "train", images)
    net, lr, momentum = make_net(model_name)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum)
    return train_epoch(net, opt, x, y, batch)


def lr_at(model_name, epoch, lr0):
    """softnum_train's default schedule: x0.5 every N epochs from epoch E (MLP 1 from 4, LeNet-5 4 from 5)."""
    every, start = (4, 5) if model_name == "lenet5" else (1, 4)
    return lr0 * 0.5 ** (0 if epoch < start else 1 + (epoch - start) // every)


def pytorch_accuracy(model_name, epochs, data_dir, batch, seed=1):
    """PyTorch fp32 on all 60k/10k images, softnum_train's defaults and schedule: one row per epoch."""
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x, y = load_images(model_name, data_dir, "train", None)
    tx, ty = load_images(model_name, data_dir, "t10k", None)
    net, lr0, momentum = make_net(model_name)
    opt = torch.optim.SGD(net.parameters(), lr=lr0, momentum=momentum)
    for epoch in range(1, epochs + 1):
        for g in opt.param_groups:
            g["lr"] = lr_at(model_name, epoch, lr0)
        seconds = train_epoch(net, opt, x, y, batch)
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum()) for i in range(0, len(tx), 1000))
        print(f"{model_name:7} pytorch_fp32 epoch {epoch:2} lr {lr_at(model_name, epoch, lr0):.5f} "
              f"test {100.0 * correct / len(tx):6.2f}%  train_s {seconds:7.2f}", flush=True)


def softnum_epoch(exe, model_name, images, spec, batch, threads, data_dir, timeout):
    """Seconds of one training epoch of softnum_train (its CSV's 'seconds' column)."""
    parts = spec.split()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.csv")
        cmd = [exe, "--model", model_name, "--train-limit", str(images), "--test-limit", "100", "--epochs", "1",
               "--batch", str(batch), "--threads", str(threads), "--progress", "never", "--data", data_dir,
               "--csv", out, "--format", parts[0]] + parts[1:]
        if model_name == "mlp":
            cmd += ["--hidden", "256"]
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"timed out after {timeout} s"
        if r.returncode != 0:
            last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
            return None, f"exit {r.returncode}: {last[:160]}"
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
        return float(rows[-1]["seconds"]), ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--exe", default="build/rel/examples/train/softnum_train", help="the softnum_train program")
    p.add_argument("--models", default="mlp,lenet5", help="comma-separated: mlp, lenet5 (default both)")
    p.add_argument("--formats", default=None,
                   help="semicolon-separated softnum_train specs with optional extra options, e.g. "
                        "'float32;posit16 --rounding stochastic' (default: one of each class of the targets)")
    p.add_argument("--mlp-images", type=int, default=4000, help="training images of the MLP epoch (default 4000)")
    p.add_argument("--lenet-images", type=int, default=1000, help="training images of the LeNet-5 epoch (default 1000)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--data", default=DATA_DIR)
    p.add_argument("--timeout", type=int, default=900, help="seconds per softnum_train run before it is abandoned")
    p.add_argument("--no-scaling", action="store_true", help="skip the 2-thread LeNet-5 float32 row")
    p.add_argument("--accuracy", default=None, metavar="MLP_EPOCHS,LENET5_EPOCHS",
                   help="instead of the timing table: train PyTorch fp32 on the full data with softnum_train's "
                        "defaults and learning-rate schedule and print the test accuracy per epoch, e.g. 5,10 "
                        "(compare with softnum_train --epochs N --format float32)")
    args = p.parse_args()
    if args.accuracy is not None:
        try:
            epochs = [int(v) for v in args.accuracy.split(",")]
            if len(epochs) != 2 or min(epochs) < 0:
                raise ValueError
        except ValueError:
            sys.exit(f"--accuracy: expected two epoch counts such as 5,10, got '{args.accuracy}'")
        try:
            import torch  # noqa: F401
        except ImportError:
            sys.exit("--accuracy needs PyTorch (Debian python3-torch, run with /usr/bin/python3)")
        for model_name, n in zip(("mlp", "lenet5"), epochs):
            if n > 0:
                pytorch_accuracy(model_name, n, args.data, args.batch)
        return

    if not os.path.exists(os.path.join(args.data, "train-images-idx3-ubyte.gz")):
        sys.exit(f"Fashion-MNIST not found in {args.data} (Debian: apt-get install dataset-fashion-mnist)")
    if not os.access(args.exe, os.X_OK):
        sys.exit(f"{args.exe}: not an executable; build it with cmake --build BUILD --target softnum_train")
    formats = DEFAULT_FORMATS if args.formats is None else [s.strip() for s in args.formats.split(";") if s.strip()]
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in models:
        if m not in ("mlp", "lenet5"):
            sys.exit(f"--models: unknown model '{m}'; valid: mlp, lenet5")

    try:
        import torch
        torch_version = torch.__version__
    except ImportError:
        torch_version = None
        print("PyTorch is not installed (Debian: python3-torch, run with /usr/bin/python3): "
              "the PyTorch column is skipped")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# one epoch, batch {args.batch}, one thread each; PyTorch {torch_version or 'absent'}; "
          f"{os.cpu_count()} CPUs, load average {load:.2f} at the start")
    print(f"{'model':7} {'format':34} {'images':>6} {'pytorch_s':>9} {'softnum_s':>9} {'ratio':>7}")
    for m in models:
        images = args.lenet_images if m == "lenet5" else args.mlp_images
        base = pytorch_epoch(m, images, args.data, args.batch, 1) if torch_version else None
        for spec in formats:
            s, err = softnum_epoch(args.exe, m, images, spec, args.batch, 1, args.data, args.timeout)
            base_s = f"{base:9.2f}" if base is not None else f"{'-':>9}"
            if s is None:
                print(f"{m:7} {spec:34} {images:6} {base_s} {'-':>9} {'-':>7}  ({err})")
                continue
            ratio = f"{s / base:6.1f}x" if base else f"{'-':>7}"
            print(f"{m:7} {spec:34} {images:6} {base_s} {s:9.2f} {ratio}", flush=True)
        if m == "lenet5" and not args.no_scaling:
            one, e1 = softnum_epoch(args.exe, m, images, "float32", args.batch, 1, args.data, args.timeout)
            two, e2 = softnum_epoch(args.exe, m, images, "float32", args.batch, 2, args.data, args.timeout)
            if one is None or two is None:
                print(f"lenet5 float32 threads 1 vs 2: failed ({e1 or e2})")
            else:
                print(f"lenet5 float32 threads 1 vs 2: {one:.2f} s / {two:.2f} s = {one / two:.2f}x faster "
                      f"on 2 threads (load average now {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
