#!/usr/bin/env python3
"""LeNet-5 on Fashion-MNIST in plain PyTorch, with softnum quantizers.

PositNN's layout, as softnum_train --model lenet5: conv 6@5x5 pad 2, maxpool, ReLU, conv 16@5x5,
maxpool, ReLU, conv 120@5x5, ReLU, fc 84, ReLU, fc 10; SGD (lr 1/16, momentum 0.5, batch 64).

Formats (--format):
  float32   plain PyTorch, no quantizer
  binary16  weights, activations and gradients in binary16; fp32 master weights and loss
  fp8       weights and activations in float8_e4m3fn, gradients in float8_e5m2 (forward E4M3,
            backward E5M2); fp32 master weights and loss (softnum_train's fp8_recipe)
  posit8    weights, activations and gradients in posit8; fp32 master weights and loss
  Block-scaled MX formats are not offered: the library has no block formats yet.
The products of every conv and linear layer accumulate in fp32 (PyTorch's own kernels), unless
--accumulator FMT routes them through softnum's GEMM model (QConv2d/QLinear, every addition
rounded to FMT; much slower). --master FMT keeps the master weights in FMT instead of float32.

Run from the repository root after building the module (docs/python.md):
  PYTHONPATH=build/release/python /usr/bin/python3 examples/python/lenet5.py --format fp8 \
      --train-limit 3000 --test-limit 2000 --epochs 2
"""

import argparse
import gzip
import os
import sys
import time

import numpy as np

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:
    sys.exit("lenet5.py needs PyTorch (Debian: python3-torch); run it with /usr/bin/python3")

import softnum
import softnum.torch as st

PRESETS = {
    # name: (weights, activations, gradients)
    "float32": (None, None, None),
    "binary16": ("binary16", "binary16", "binary16"),
    "fp8": ("float8_e4m3fn", "float8_e4m3fn", "float8_e5m2"),
    "posit8": ("posit8", "posit8", "posit8"),
}
MEAN, STD = 0.2860, 0.3300  # Fashion-MNIST normalisation, as softnum_train (PositNN)
DATA_DIRS = ["/usr/share/datasets/fashion-mnist", "/usr/share/fashion-mnist"]


def read_idx(path, limit):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(magic & 0xFF)]
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)
    return array[:limit] if limit else array


def load(data_dir, split, limit):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"), limit)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), limit)
    x = torch.from_numpy(((images / 255.0 - MEAN) / STD).astype(np.float32)).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


class LeNet5(nn.Module):
    def __init__(self, activations=None, gradients=None, rounding="nearest", accumulator=None, threads=0):
        super().__init__()

        def conv(cin, cout, padding=0):
            if accumulator is None:
                return nn.Conv2d(cin, cout, 5, padding=padding)
            return st.QConv2d(cin, cout, 5, padding=padding, accumulator=accumulator, threads=threads)

        def linear(fin, fout):
            if accumulator is None:
                return nn.Linear(fin, fout)
            return st.QLinear(fin, fout, accumulator=accumulator, threads=threads)

        self.conv1, self.conv2, self.conv3 = conv(1, 6, 2), conv(6, 16), conv(16, 120)
        self.fc1, self.fc2 = linear(120, 84), linear(84, 10)
        quantized = activations is not None or gradients is not None
        self.q = (st.quantizer(forward_number=activations, backward_number=gradients, forward_rounding="nearest",
                               backward_rounding=rounding) if quantized else (lambda x: x))

    def forward(self, x):
        q = self.q
        x = q(x)
        x = q(F.relu(F.max_pool2d(q(self.conv1(x)), 2)))
        x = q(F.relu(F.max_pool2d(q(self.conv2(x)), 2)))
        x = q(F.relu(q(self.conv3(x)))).flatten(1)
        x = q(F.relu(q(self.fc1(x))))
        return self.fc2(x)  # logits and the loss in float32


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return 100.0 * correct / len(x)


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--format", choices=sorted(PRESETS), default="float32")
    p.add_argument("--rounding", choices=["nearest", "stochastic"], default="nearest",
                   help="rounding of the gradients and of the master weights (default nearest)")
    p.add_argument("--accumulator", default=None, help="route conv/linear products through softnum's GEMM model "
                   "with every addition rounded to this format (default: PyTorch's fp32 kernels)")
    p.add_argument("--master", default="float32", help="format of the master weights (default float32)")
    p.add_argument("--train-limit", type=int, default=0, help="first N training images (default all 60000)")
    p.add_argument("--test-limit", type=int, default=0, help="first N test images (default all 10000)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1 / 16)
    p.add_argument("--momentum", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1, help="PyTorch and softnum threads (default 1)")
    p.add_argument("--data", default=None, help="directory of the Fashion-MNIST .gz files")
    p.add_argument("--quiet", action="store_true", help="print nothing (for the benchmark)")
    return p


def run(args):
    """Trains as the arguments say; returns [(test accuracy %, training seconds)] per epoch."""

    data_dir = args.data or next((d for d in DATA_DIRS if os.path.isdir(d)), None)
    if data_dir is None or not os.path.exists(os.path.join(data_dir, "train-images-idx3-ubyte.gz")):
        sys.exit(f"Fashion-MNIST not found in {args.data or ' or '.join(DATA_DIRS)} "
                 "(Debian: apt-get install dataset-fashion-mnist, or --data DIR)")
    for name in (args.accumulator, args.master):
        if name is not None and name not in softnum.formats():
            sys.exit(f"unknown format '{name}'; valid formats: {', '.join(softnum.formats())}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    st.manual_seed(args.seed)
    x_train, y_train = load(data_dir, "train", args.train_limit)
    x_test, y_test = load(data_dir, "test", args.test_limit)

    weights, activations, gradients = PRESETS[args.format]
    model = LeNet5(activations, gradients, args.rounding, args.accumulator, args.threads)
    sgd = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    quantized = weights is not None or args.master != "float32"
    opt = (st.MasterWeightOptimizer(sgd, weight_number=weights, master_number=args.master, grad_number=gradients,
                                    master_rounding="nearest_even" if args.rounding == "nearest" else "stochastic")
           if quantized else sgd)

    say = (lambda *a: None) if args.quiet else print
    say(f"LeNet-5, format {args.format} (weights {weights}, activations {activations}, gradients {gradients}, "
          f"master {args.master}, accumulator {args.accumulator or 'float32 (PyTorch)'}), "
          f"{len(x_train)} training / {len(x_test)} test images, {args.threads} thread(s)")
    results = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x_train))
        total, batches = 0.0, 0
        for i in range(0, len(x_train), args.batch):
            idx = order[i:i + args.batch]
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        seconds = time.perf_counter() - start
        if not np.isfinite(total):
            sys.exit(f"epoch {epoch}: the loss diverged to {total}")
        accuracy = evaluate(model, x_test, y_test)
        say(f"epoch {epoch}: loss {total / batches:.4f}  test accuracy {accuracy:.2f}%  ({seconds:.2f} s)")
        results.append((accuracy, seconds))
    return results


def main():
    run(parser().parse_args())


if __name__ == "__main__":
    main()
