"""softnum: correctly rounded custom number formats for NumPy and PyTorch.

The kernels are those of the softnum C++ library (header-only, C++20): every rounding is the
exact value rounded once, in every mode, with the same bits as the C++ functions.

    >>> import numpy as np, softnum
    >>> softnum.quantize(np.array([0.1, 3.3, 1000.0], np.float32), "float8_e4m3fn")
    array([0.1015625, 3.25     ,       nan], dtype=float32)   # OCP E4M3: max 448, overflow -> NaN

Functions: formats(), info(name), roundings(), quantize(x, fmt, ...), matmul(a, b, ...).
PyTorch (CPU): `import softnum.torch` (quantize, Quantizer, QLinear, QConv2d, MasterWeightOptimizer).
Manual: docs/python.md.
"""

from ._softnum import __version__, formats, info, roundings  # noqa: F401
from . import _softnum

__all__ = ["formats", "info", "roundings", "quantize", "matmul", "__version__"]


def quantize(x, fmt, rounding="nearest_even", seed=0, out=None, threads=0):
    """Round every element of x once to the format `fmt`.

    x: a NumPy float32 or float64 array of any shape (other array-likes are converted to float64).
    fmt: a name from softnum.formats() (e.g. "binary16", "float8_e4m3fn", "posit8", "fixed8_8").
    rounding: "nearest_even" (also "nearest"), "nearest_away", "toward_zero", "up", "down", "odd"
        or "stochastic".
    seed: stochastic rounding draws element i's random word (i in C order) from
        Philox4x32-10 keyed by seed: the result depends on (seed, i) only, never on threads.
    out: None (a new array), or an array of x's dtype and shape, C-contiguous; out=x rounds in place.
    threads: 0 = all cores (arrays of 2^16 elements or more per thread), 1 = this thread only.

    Returns the rounded array (out when given). The values are stored exactly in x's dtype
    whenever the format's values fit it (info(fmt)["exact_in_float32"] for float32 arrays).
    """
    import numpy as np

    if not isinstance(x, np.ndarray):
        x = np.asarray(x, dtype=np.float64)
    return _softnum.quantize(x, fmt, rounding, seed, out, threads)


def matmul(a, b, accumulator="float32", product="exact", chunk=0, rounding="nearest_even", seed=0,
           output=None, output_rounding="nearest_even", threads=0):
    """a @ b (2-D NumPy float32/float64 arrays) by the accumulation model of softnum/gemm.hpp.

    For each output, k = 0..K-1 in order: products exact (product="exact": one rounding per
    multiply-add) or rounded to `product` (offered when product == accumulator for the named
    float formats, see info(name)["rounded_product_gemm"]); s = round_accumulator(s + p_k) from
    s = 0; with chunk = c > 0 each chunk of c terms is summed from 0 and added to s (Wang et al.
    2018); finally C = round_output(s) in `output_rounding`, `output` a format name or None (the
    result dtype: float32 when a and b are both float32, else float64). Every rounding in
    `rounding`; stochastic words depend on (seed, i, j, k) only. Bit-identical to softnum::gemm
    and softnum::gemm_reference in C++; threads=0 uses all cores.
    """
    return _softnum.matmul(a, b, accumulator=accumulator, product=product, chunk=chunk, rounding=rounding,
                           seed=seed, output=output, output_rounding=output_rounding, threads=threads)
