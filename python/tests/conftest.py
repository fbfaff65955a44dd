# Shared inputs for the softnum Python tests.
import numpy as np
import pytest

import softnum

MODES = ["nearest_even", "nearest_away", "toward_zero", "up", "down", "odd", "stochastic"]


def all_binary16_as_float32():
    """Every binary16 value (NaNs and infinities included), exactly, as float32: every value of
    each 8-bit format, every midpoint between them, and the subnormal/overflow edges."""
    return np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)


def sampled_float32(n=1 << 16, seed=1):
    """Random float32 bit patterns (every exponent), plus edge values."""
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 1 << 32, size=n, dtype=np.uint64).astype(np.uint32)
    x = bits.view(np.float32)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 65504.0, 65520.0, 448.0, 464.0,
                      2.0**-24, 2.0**-25, 3 * 2.0**-26, 1e-45, 3.4028235e38, 0.5, 1.5, 2.5],
                     dtype=np.float32)
    return np.concatenate([x, edges])


def scaled_float64(n=1 << 15, seed=2):
    """float64 values spread over the ranges of the small formats (exponents -40..40)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n) * np.exp2(rng.integers(-40, 40, size=n).astype(np.float64))


def same_bits(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    kind = {4: np.uint32, 8: np.uint64}[a.dtype.itemsize]
    return np.array_equal(a.view(kind), b.view(kind))


@pytest.fixture(params=softnum.formats())
def fmt(request):
    return request.param
