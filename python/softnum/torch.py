"""softnum.torch: softnum's rounding and GEMM model for PyTorch tensors (CPU).

    import softnum.torch as st
    y = st.quantize(t, "binary16")                       # a new tensor; st.quantize(t, f, out=t): in place
    q = st.Quantizer(forward_number="float8_e4m3fn", backward_number="float8_e5m2",
                     forward_rounding="nearest", backward_rounding="stochastic")
    fc = st.QLinear(84, 10, accumulator="binary16")      # matmul by the accumulation model
    opt = st.MasterWeightOptimizer(torch.optim.SGD(model.parameters(), lr=0.1),
                                   weight_number="binary16", master_number="float32")

The vocabulary of Quantizer / quantizer() is QPyTorch's quant_function: forward_number and
backward_number (here format names, or None for no rounding), forward_rounding and
backward_rounding ("nearest" or "stochastic", and softnum's other modes).

Tensors are read and written in place through NumPy views of their memory: contiguous float32 or
float64 CPU tensors are never copied (a non-contiguous one is copied once). Stochastic rounding
draws seeds from a counter (manual_seed(s) restarts it), so a run is reproducible call by call.
"""

import itertools

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import _softnum

__all__ = ["quantize", "quantizer", "Quantizer", "matmul", "QLinear", "QConv2d", "MasterWeightOptimizer",
           "manual_seed"]

_seed_base = 0
_seed_counter = itertools.count()


def manual_seed(seed):
    """Restart the seed sequence that stochastic rounding without an explicit seed uses."""
    global _seed_base, _seed_counter
    _seed_base = int(seed) & 0xFFFFFFFFFFFFFFFF
    _seed_counter = itertools.count()


def _next_seed():
    # splitmix64 of (base, counter): distinct, well-mixed seeds for successive calls.
    z = (_seed_base + 0x9E3779B97F4A7C15 * (next(_seed_counter) + 1)) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


def _check_tensor(t, function, argument="t"):
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{function}: {argument} must be a torch.Tensor, got {type(t).__name__}")
    if t.device.type != "cpu":
        raise TypeError(f"{function}: {argument} is on {t.device}; softnum.torch works on CPU tensors")
    if t.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"{function}: {argument} must have dtype torch.float32 or torch.float64, got {t.dtype}")


def _numpy_view(t):
    """A NumPy array sharing t's memory (t contiguous, detached)."""
    return t.detach().numpy()


def quantize(t, fmt, rounding="nearest_even", seed=None, out=None, threads=0):
    """t rounded element by element once to format fmt (softnum.quantize on the tensor's memory).

    seed=None takes the next seed of the sequence (manual_seed) when rounding is stochastic.
    out: None (a new contiguous tensor) or a contiguous tensor of t's dtype and shape; out=t
    rounds in place. Autograd does not see this function: use Quantizer for that.
    """
    _check_tensor(t, "softnum.torch.quantize")
    if seed is None:
        seed = _next_seed() if rounding == "stochastic" else 0
    src = t.detach()
    if not src.is_contiguous():
        src = src.contiguous()
    if out is None:
        out = torch.empty_like(src, memory_format=torch.contiguous_format)
    else:
        _check_tensor(out, "softnum.torch.quantize", "out")
        if out.dtype != t.dtype or out.shape != t.shape:
            raise ValueError(f"softnum.torch.quantize: out is {out.dtype} {tuple(out.shape)} "
                             f"but t is {t.dtype} {tuple(t.shape)}")
        if not out.is_contiguous():
            raise ValueError("softnum.torch.quantize: out must be contiguous")
    _softnum.quantize(_numpy_view(src), fmt, rounding, seed, _numpy_view(out), threads)
    return out


def _validate_number(number, function):
    if number is not None:
        _softnum.info(number)  # raises ValueError naming the valid formats


class _QuantizeFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, forward_number, forward_rounding, backward_number, backward_rounding):
        ctx.backward_number = backward_number
        ctx.backward_rounding = backward_rounding
        if forward_number is None:
            return x.view_as(x)
        return quantize(x, forward_number, forward_rounding)

    @staticmethod
    def backward(ctx, grad):
        if ctx.backward_number is None:
            g = grad
        else:
            g = quantize(grad, ctx.backward_number, ctx.backward_rounding)
        return g, None, None, None, None


def quantizer(forward_number=None, backward_number=None, forward_rounding="nearest",
              backward_rounding="nearest"):
    """QPyTorch's quant_function: a function x -> x rounded to forward_number in the forward pass,
    whose backward pass rounds the incoming gradient to backward_number. None: no rounding."""
    _validate_number(forward_number, "softnum.torch.quantizer")
    _validate_number(backward_number, "softnum.torch.quantizer")

    def quant_function(x):
        _check_tensor(x, "softnum.torch.quantizer", "x")
        return _QuantizeFunction.apply(x, forward_number, forward_rounding, backward_number, backward_rounding)

    return quant_function


class Quantizer(nn.Module):
    """A module that rounds its input to forward_number and the gradient to backward_number."""

    def __init__(self, forward_number=None, backward_number=None, forward_rounding="nearest",
                 backward_rounding="nearest"):
        super().__init__()
        self.forward_number = forward_number
        self.backward_number = backward_number
        self.forward_rounding = forward_rounding
        self.backward_rounding = backward_rounding
        self.quantize = quantizer(forward_number, backward_number, forward_rounding, backward_rounding)

    def forward(self, x):
        return self.quantize(x)

    def extra_repr(self):
        return (f"forward_number={self.forward_number!r}, backward_number={self.backward_number!r}, "
                f"forward_rounding={self.forward_rounding!r}, backward_rounding={self.backward_rounding!r}")


class GemmModel:
    """The accumulation model of one matmul (softnum.matmul's options), forward and backward."""

    def __init__(self, accumulator="float32", backward_accumulator=None, product="exact", chunk=0,
                 rounding="nearest_even", output=None, threads=0):
        _softnum.info(accumulator)  # an unknown name raises ValueError naming the valid ones
        if backward_accumulator is not None:
            _softnum.info(backward_accumulator)
        if product not in ("exact", accumulator):
            raise ValueError(f"softnum.torch: product must be 'exact' or the accumulator ({accumulator!r}), "
                             f"got {product!r}")
        self.accumulator = accumulator
        self.backward_accumulator = backward_accumulator or accumulator
        self.product = product
        self.chunk = chunk
        self.rounding = rounding
        self.output = output
        self.threads = threads

    def __call__(self, a, b, backward=False):
        """a @ b for 2-D tensors by the model (no autograd)."""
        seed = _next_seed() if self.rounding == "stochastic" else 0
        acc = self.backward_accumulator if backward else self.accumulator
        product = "exact" if self.product == "exact" else acc  # rounded products: to this pass's accumulator
        result = _softnum.matmul(a.detach().numpy(), b.detach().numpy(), accumulator=acc, product=product,
                                 chunk=self.chunk, rounding=self.rounding, seed=seed, output=self.output,
                                 output_rounding="nearest_even", threads=self.threads)
        return torch.from_numpy(result)

    def __repr__(self):
        return (f"GemmModel(accumulator={self.accumulator!r}, backward_accumulator={self.backward_accumulator!r}, "
                f"product={self.product!r}, chunk={self.chunk}, rounding={self.rounding!r}, output={self.output!r})")


class _MatmulFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b, model):
        ctx.save_for_backward(a, b)
        ctx.model = model
        return model(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = ctx.model(grad, b.t(), backward=True)
        if ctx.needs_input_grad[1]:
            grad_b = ctx.model(a.t(), grad, backward=True)
        return grad_a, grad_b, None


def matmul(a, b, model=None, **options):
    """a @ b for 2-D CPU tensors by the accumulation model, differentiable: the gradients
    (grad @ b^T and a^T @ grad) are matmuls by the same model with the backward accumulator.
    model: a GemmModel, or its options as keywords (accumulator=..., chunk=..., ...)."""
    _check_tensor(a, "softnum.torch.matmul", "a")
    _check_tensor(b, "softnum.torch.matmul", "b")
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError(f"softnum.torch.matmul: a and b must be 2-D, got shapes {tuple(a.shape)} and "
                         f"{tuple(b.shape)}")
    if a.dtype != b.dtype:
        raise TypeError(f"softnum.torch.matmul: a is {a.dtype} but b is {b.dtype}")
    return _MatmulFunction.apply(a, b, model if model is not None else GemmModel(**options))


class QLinear(nn.Linear):
    """nn.Linear whose x @ W^T follows the accumulation model (softnum.matmul); the bias is added
    in the tensor's dtype afterwards. Options: those of GemmModel."""

    def __init__(self, in_features, out_features, bias=True, accumulator="float32", backward_accumulator=None,
                 product="exact", chunk=0, rounding="nearest_even", output=None, threads=0, dtype=None):
        super().__init__(in_features, out_features, bias=bias, dtype=dtype)
        self.model = GemmModel(accumulator, backward_accumulator, product, chunk, rounding, output, threads)

    def forward(self, x):
        shape = x.shape
        y = matmul(x.reshape(-1, shape[-1]), self.weight.t(), self.model)
        if self.bias is not None:
            y = y + self.bias
        return y.reshape(*shape[:-1], self.out_features)

    def extra_repr(self):
        return super().extra_repr() + f", {self.model}"


class QConv2d(nn.Conv2d):
    """nn.Conv2d computed as unfold (im2col) + a matmul by the accumulation model; the K of each
    dot product runs over (input channel, kernel row, kernel column) in that order. groups=1 and
    padding_mode="zeros" only. Options: those of GemmModel."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True,
                 accumulator="float32", backward_accumulator=None, product="exact", chunk=0,
                 rounding="nearest_even", output=None, threads=0, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation,
                         bias=bias, dtype=dtype)
        if isinstance(self.padding, str):
            raise ValueError("softnum.torch.QConv2d: padding must be numbers, not a string")
        self.model = GemmModel(accumulator, backward_accumulator, product, chunk, rounding, output, threads)

    def forward(self, x):
        if x.dim() != 4:
            raise ValueError(f"softnum.torch.QConv2d: input must be N x C x H x W, got shape {tuple(x.shape)}")
        n, _, h, w = x.shape
        kh, kw = self.kernel_size
        ho = (h + 2 * self.padding[0] - self.dilation[0] * (kh - 1) - 1) // self.stride[0] + 1
        wo = (w + 2 * self.padding[1] - self.dilation[1] * (kw - 1) - 1) // self.stride[1] + 1
        cols = F.unfold(x, self.kernel_size, dilation=self.dilation, padding=self.padding, stride=self.stride)
        rows = cols.transpose(1, 2).reshape(n * ho * wo, -1)  # (N*L) x (C*kh*kw)
        y = matmul(rows, self.weight.reshape(self.out_channels, -1).t(), self.model)  # (N*L) x out
        y = y.reshape(n, ho * wo, self.out_channels).transpose(1, 2).reshape(n, self.out_channels, ho, wo)
        if self.bias is not None:
            y = y + self.bias.reshape(1, -1, 1, 1)
        return y

    def extra_repr(self):
        return super().extra_repr() + f", {self.model}"


class MasterWeightOptimizer:
    """Wraps a torch.optim optimizer: the optimizer updates master weights held in master_number;
    the model's parameters are the master weights rounded to weight_number after every step.
    Gradients are rounded to grad_number (if given) before the step.

        opt = MasterWeightOptimizer(torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9),
                                    weight_number="binary16", master_number="float32")
        loss.backward(); opt.step(); opt.zero_grad()

    The update is computed in the tensors' dtype by the wrapped optimizer, then rounded once into
    master_number (master_rounding, "stochastic" for the classic low-precision master weights).
    """

    def __init__(self, optimizer, weight_number="binary16", master_number="float32", grad_number=None,
                 weight_rounding="nearest_even", master_rounding="nearest_even", grad_rounding="nearest_even"):
        for number in (weight_number, master_number, grad_number):
            _validate_number(number, "softnum.torch.MasterWeightOptimizer")
        self.optimizer = optimizer
        self.weight_number, self.master_number, self.grad_number = weight_number, master_number, grad_number
        self.weight_rounding, self.master_rounding, self.grad_rounding = weight_rounding, master_rounding, grad_rounding
        self.master = {}
        with torch.no_grad():
            for p in self._params():
                _check_tensor(p, "softnum.torch.MasterWeightOptimizer", "a parameter")
                m = p.detach().clone(memory_format=torch.contiguous_format)
                if master_number is not None:
                    quantize(m, master_number, master_rounding, out=m)
                self.master[p] = m
                self._round_into_model(p, m)

    def _params(self):
        for group in self.optimizer.param_groups:
            yield from group["params"]

    def _round_into_model(self, p, m):
        if self.weight_number is None:
            p.data.copy_(m)
        else:
            p.data.copy_(quantize(m, self.weight_number, self.weight_rounding))

    @torch.no_grad()
    def step(self, closure=None):
        loss = closure() if closure is not None else None
        model_data = {}
        for p in self._params():
            if p.grad is not None and self.grad_number is not None:
                grad = p.grad if p.grad.is_contiguous() else p.grad.contiguous()
                quantize(grad, self.grad_number, self.grad_rounding, out=grad)
                p.grad = grad
            model_data[p] = p.data
            p.data = self.master[p]  # the optimizer updates the master copy
        try:
            self.optimizer.step()
        finally:
            for p in self._params():
                m = p.data
                p.data = model_data[p]
                if self.master_number is not None:
                    quantize(m, self.master_number, self.master_rounding, out=m)
                self._round_into_model(p, m)
        return loss

    def zero_grad(self, set_to_none=True):
        self.optimizer.zero_grad(set_to_none=set_to_none)

    @property
    def param_groups(self):
        return self.optimizer.param_groups

    def state_dict(self):
        return {"optimizer": self.optimizer.state_dict(), "master": [self.master[p] for p in self._params()]}
