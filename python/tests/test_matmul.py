# softnum.matmul against softnum::gemm_reference (the model's naive loop in C++, one thread,
# no fast paths), exposed by the test-only _reference_matmul, and against an exact sum where the
# model must give one.
import numpy as np
import pytest

import softnum
from softnum import _softnum
from conftest import same_bits

ACCUMULATORS = ["float32", "float64", "binary16", "bfloat16", "float8_e4m3fn", "float8_e5m2", "posit8",
                "posit16", "posit32", "fixed8_8", "fixed16_16", "binary64"]


def operands(m, k, n, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)


@pytest.mark.parametrize("acc", ACCUMULATORS)
@pytest.mark.parametrize("mode", ["nearest_even", "toward_zero", "stochastic"])
@pytest.mark.parametrize("chunk", [0, 16])
def test_matmul_equals_gemm_reference(acc, mode, chunk):
    a, b = operands(37, 150, 29, seed=len(acc) + chunk)
    got = softnum.matmul(a, b, accumulator=acc, rounding=mode, chunk=chunk, seed=11, threads=3)
    want = _softnum._reference_matmul(a, b, accumulator=acc, rounding=mode, chunk=chunk, seed=11)
    assert same_bits(got, want)


@pytest.mark.parametrize("acc", ["binary16", "posit16", "float32"])
def test_threads_and_strides_do_not_change_bits(acc):
    a, b = operands(96, 200, 80, seed=5)
    one = softnum.matmul(a, b, accumulator=acc, rounding="stochastic", seed=3, threads=1)
    for threads in (2, 7):
        assert same_bits(one, softnum.matmul(a, b, accumulator=acc, rounding="stochastic", seed=3, threads=threads))
    # transposed views (strided, no copy) give the same result as contiguous copies
    at, bt = np.ascontiguousarray(a.T), np.ascontiguousarray(b.T)
    assert same_bits(one, softnum.matmul(at.T, bt.T, accumulator=acc, rounding="stochastic", seed=3))


@pytest.mark.parametrize("acc", ACCUMULATORS)
@pytest.mark.parametrize("mode", ["nearest_even", "up", "stochastic"])
def test_float32_inputs_round_the_exact_model_once_to_float32(acc, mode):
    # float32 inputs take softnum::gemm on float storage when the accumulator's values are floats
    # (the SIMD kernels), float64 copies otherwise: the same bits as gemm_reference either way.
    a, b = operands(33, 90, 21, seed=8, dtype=np.float32)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    for chunk in (0, 8):
        got = softnum.matmul(a, b, accumulator=acc, rounding=mode, chunk=chunk, seed=2, output_rounding=mode)
        assert got.dtype == np.float32
        want = _softnum._reference_matmul(a64, b64, accumulator=acc, rounding=mode, chunk=chunk, seed=2,
                                          output="float32", output_rounding=mode)
        assert same_bits(got, want.astype(np.float32))
        got = softnum.matmul(a, b, accumulator=acc, rounding=mode, chunk=chunk, seed=2, output="binary16")
        want = _softnum._reference_matmul(a64, b64, accumulator=acc, rounding=mode, chunk=chunk, seed=2,
                                          output="binary16")
        assert same_bits(got, want.astype(np.float32))
    # strided float32 views are read in place
    assert same_bits(softnum.matmul(np.ascontiguousarray(a.T).T, b, accumulator=acc),
                     softnum.matmul(a, b, accumulator=acc))


@pytest.mark.parametrize("output", ["binary16", "float8_e4m3fn", "posit8"])
def test_output_format_and_rounding(output):
    a, b = operands(30, 40, 20, seed=9)
    for mode in ("nearest_even", "up", "stochastic"):
        got = softnum.matmul(a, b, accumulator="float32", output=output, output_rounding=mode, seed=4)
        want = _softnum._reference_matmul(a, b, accumulator="float32", output=output, output_rounding=mode, seed=4)
        assert same_bits(got, want)
    s = softnum.matmul(a, b, accumulator="float32")
    assert same_bits(softnum.matmul(a, b, accumulator="float32", output=output), softnum.quantize(s, output))


def test_exact_when_the_accumulator_holds_every_partial_sum():
    # Small integers: every product and partial sum is exact in binary16 up to 2048.
    rng = np.random.default_rng(6)
    a = rng.integers(-4, 5, size=(16, 24)).astype(np.float32)
    b = rng.integers(-4, 5, size=(24, 12)).astype(np.float32)
    assert np.array_equal(softnum.matmul(a, b, accumulator="binary16"), a @ b)


def test_accumulator_rounding_is_visible():
    # 1 + 2^-12 + ... in binary16: every small addend is lost to nearest-even accumulation.
    a = np.array([[1.0] + [2.0**-12] * 64])
    b = np.ones((65, 1))
    assert softnum.matmul(a, b, accumulator="binary16")[0, 0] == 1.0
    assert softnum.matmul(a, b, accumulator="float32")[0, 0] == 1 + 64 * 2.0**-12
    # chunks of 16 sum the small terms first (2^-8 each chunk), which binary16 keeps
    assert softnum.matmul(a[:, 1:], b[1:], accumulator="binary16", chunk=16)[0, 0] == 64 * 2.0**-12


def test_empty_and_degenerate_shapes():
    assert softnum.matmul(np.zeros((3, 0)), np.zeros((0, 4))).shape == (3, 4)
    assert not softnum.matmul(np.zeros((3, 0)), np.zeros((0, 4))).any()
    assert softnum.matmul(np.zeros((0, 5)), np.zeros((5, 2))).shape == (0, 2)
    for acc in ("binary16", "posit8"):  # float storage and float64 paths
        z = softnum.matmul(np.zeros((3, 0), np.float32), np.zeros((0, 4), np.float32), accumulator=acc)
        assert z.dtype == np.float32 and z.shape == (3, 4) and not z.any()
        assert softnum.matmul(np.zeros((0, 5), np.float32), np.zeros((5, 2), np.float32), accumulator=acc).shape == (0, 2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_negative_strides(dtype):
    a, b = operands(12, 20, 7, seed=12, dtype=dtype)
    ra, rb = a[::-1, ::-1], b[::-1]
    got = softnum.matmul(ra, rb, accumulator="bfloat16", rounding="stochastic", seed=1)
    assert same_bits(got, softnum.matmul(np.ascontiguousarray(ra), np.ascontiguousarray(rb), accumulator="bfloat16",
                                         rounding="stochastic", seed=1))


def test_rounded_products_where_offered():
    offered = [f for f in softnum.formats() if softnum.info(f)["rounded_product_gemm"]]
    assert {"float32", "binary16", "bfloat16", "float8_e4m3fn", "float8_e5m2"} <= set(offered)
    for dtype in (np.float64, np.float32):
        a, b = operands(17, 60, 13, seed=10, dtype=dtype)
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        for name in offered:
            for mode in ("nearest_even", "stochastic"):
                got = softnum.matmul(a, b, accumulator=name, product=name, rounding=mode, seed=5, threads=2)
                want = _softnum._reference_matmul(a64, b64, accumulator=name, product=name, rounding=mode, seed=5,
                                                  output="float32" if dtype == np.float32 else None)
                assert same_bits(got, want.astype(dtype))
    # products rounded to binary16 before the addition differ from fused multiply-adds somewhere
    a, b = operands(17, 60, 13, seed=11)
    assert not same_bits(softnum.matmul(a, b, accumulator="binary16", product="binary16"),
                         softnum.matmul(a, b, accumulator="binary16"))
