# Bad input is a Python exception that says what is wrong.
import numpy as np
import pytest

import softnum


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown format 'binary17'; valid formats: .*binary16.*posit8"):
        softnum.quantize(np.zeros(3, np.float32), "binary17")
    with pytest.raises(ValueError, match="unknown format 'nope'"):
        softnum.info("nope")
    with pytest.raises(ValueError, match="unknown format 'fp99'"):
        softnum.matmul(np.zeros((2, 2)), np.zeros((2, 2)), accumulator="fp99")


def test_unknown_rounding():
    with pytest.raises(ValueError, match=r"unknown rounding 'nearset'; valid: nearest_even"):
        softnum.quantize(np.zeros(3), "binary16", rounding="nearset")


def test_wrong_dtype():
    with pytest.raises(TypeError, match="dtype float32 or float64, got int64"):
        softnum.quantize(np.arange(3, dtype=np.int64), "binary16")
    with pytest.raises(TypeError, match="dtype float32 or float64, got float16"):
        softnum.matmul(np.zeros((2, 2), np.float16), np.zeros((2, 2)))
    with pytest.raises(TypeError, match="out has dtype float64 but x has float32"):
        softnum.quantize(np.zeros(3, np.float32), "binary16", out=np.zeros(3))


def test_shape_mismatch():
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) and \(4, 5\) do not match"):
        softnum.matmul(np.zeros((2, 3)), np.zeros((4, 5)))
    with pytest.raises(ValueError, match="must be 2-D"):
        softnum.matmul(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"out has shape \(4,\) but x has \(3,\)"):
        softnum.quantize(np.zeros(3), "binary16", out=np.zeros(4))


def test_bad_out_and_options():
    x = np.zeros(10)
    with pytest.raises(ValueError, match="overlaps"):
        softnum.quantize(x[:8], "binary16", out=x[2:])
    with pytest.raises(ValueError, match="C-contiguous"):
        softnum.quantize(np.zeros(5), "binary16", out=np.zeros(10)[::2])
    with pytest.raises(ValueError, match="chunk must be >= 0"):
        softnum.matmul(np.zeros((2, 2)), np.zeros((2, 2)), chunk=-1)
    with pytest.raises(ValueError, match="product='posit8' with accumulator='binary16' is not offered"):
        softnum.matmul(np.zeros((2, 2)), np.zeros((2, 2)), accumulator="binary16", product="posit8")
