# softnum.quantize against the C++ library's scalar definition (y[i] = the exact x[i] rounded once,
# word random_word(seed, i, 0) when stochastic), exposed by the test-only _reference_quantize, and
# against NumPy's own float16 / float32 conversions where NumPy has the format.
import numpy as np
import pytest

import softnum
from softnum import _softnum
from conftest import MODES, all_binary16_as_float32, sampled_float32, scaled_float64, same_bits


@pytest.mark.parametrize("mode", MODES)
def test_every_binary16_value_matches_cpp(fmt, mode):
    x = all_binary16_as_float32()
    for seed in (0, 12345):
        got = softnum.quantize(x, fmt, mode, seed=seed, threads=3)
        want = _softnum._reference_quantize(x, fmt, mode, seed)
        assert same_bits(got, want), (fmt, mode, seed)


@pytest.mark.parametrize("mode", MODES)
def test_sampled_float32_and_float64_match_cpp(fmt, mode):
    x = sampled_float32()
    assert same_bits(softnum.quantize(x, fmt, mode, seed=7, threads=2), _softnum._reference_quantize(x, fmt, mode, 7))
    d = scaled_float64()
    assert same_bits(softnum.quantize(d, fmt, mode, seed=9, threads=2), _softnum._reference_quantize(d, fmt, mode, 9))


def test_binary16_nearest_equals_numpy_float16():
    x = sampled_float32()
    with np.errstate(over="ignore"):
        want = x.astype(np.float16).astype(np.float32)
    assert same_bits(softnum.quantize(x, "binary16")[~np.isnan(x)], want[~np.isnan(x)])
    assert np.isnan(softnum.quantize(x, "binary16")[np.isnan(x)]).all()


def test_float32_nearest_equals_numpy_cast():
    d = np.concatenate([scaled_float64(), np.array([1 + 2.0**-24, 1 + 3 * 2.0**-25, 3.5e38, -1e-46])])
    with np.errstate(over="ignore"):
        want = d.astype(np.float32).astype(np.float64)
    assert same_bits(softnum.quantize(d, "float32"), want)


def test_directed_modes_bracket_the_input():
    x = scaled_float64()
    x = x[np.abs(x) < 60000]
    lo = softnum.quantize(x, "binary16", "down")
    hi = softnum.quantize(x, "binary16", "up")
    assert (lo <= x).all() and (x <= hi).all()
    tz = softnum.quantize(x, "binary16", "toward_zero")
    assert (np.abs(tz) <= np.abs(x)).all()


def test_stochastic_depends_on_seed_and_index_only():
    x = np.random.default_rng(3).standard_normal((3, 1 << 17)).astype(np.float32)
    one = softnum.quantize(x, "bfloat16", "stochastic", seed=42, threads=1)
    many = softnum.quantize(x, "bfloat16", "stochastic", seed=42, threads=5)
    assert same_bits(one, many)
    other = softnum.quantize(x, "bfloat16", "stochastic", seed=43)
    assert not same_bits(one, other)
    # element i of a flat array is element i of any reshaping of it
    assert same_bits(softnum.quantize(x.ravel(), "bfloat16", "stochastic", seed=42), one.ravel())


def test_stochastic_is_unbiased_on_average():
    x = np.full(1 << 16, 1 + 2.0**-9, dtype=np.float32)  # a quarter of the way from 1 to 1 + 2^-7
    y = softnum.quantize(x, "bfloat16", "stochastic", seed=5)
    assert set(np.unique(y)) == {1.0, np.float32(1 + 2.0**-7)}
    assert abs(y.mean() - (1 + 2.0**-9)) < 2.0**-13


def test_in_place_and_out():
    x = np.linspace(-3, 3, 1001, dtype=np.float64).reshape(7, 11, 13)
    want = softnum.quantize(x, "posit8")
    out = np.empty_like(x)
    assert softnum.quantize(x, "posit8", out=out) is out
    assert same_bits(out, want)
    y = x.copy()
    softnum.quantize(y, "posit8", out=y)
    assert same_bits(y, want)


def test_non_contiguous_input_is_read_in_c_order():
    x = np.random.default_rng(4).standard_normal((50, 40)).astype(np.float32)
    t = x.T  # a view, not contiguous
    assert same_bits(softnum.quantize(t, "float8_e5m2", "stochastic", seed=1),
                     softnum.quantize(np.ascontiguousarray(t), "float8_e5m2", "stochastic", seed=1))


def test_cards():
    names = softnum.formats()
    assert "binary16" in names and "posit8" in names and "fixed8_8" in names
    card = softnum.info("float8_e4m3fn")
    assert card["bits"] == 8 and card["max"] == 448.0 and not card["has_infinity"]
    assert softnum.info("binary16")["max"] == 65504.0 and softnum.info("binary16")["digits"] == 11
    assert softnum.info("posit8")["max"] == 2.0**24
    for name in names:
        card = softnum.info(name)
        assert card["name"] == name and card["max"] > card["min_normal"] >= card["min_positive"] > 0
        # max is a value of the format, and the next step above it overflows or saturates
        assert softnum.quantize(np.array([card["max"]]), name)[0] == card["max"]
