# softnum.torch: tensors without copies, autograd through Quantizer and the GEMM model, QLinear,
# QConv2d and the master-weight optimizer. Skipped without PyTorch (Debian python3-torch).
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import softnum  # noqa: E402
import softnum.torch as st  # noqa: E402
from softnum import _softnum  # noqa: E402
from conftest import same_bits  # noqa: E402


def test_quantize_reads_and_writes_the_tensor_memory():
    t = torch.randn(64, 33)
    want = softnum.quantize(t.numpy(), "binary16")
    ptr = t.data_ptr()
    y = st.quantize(t, "binary16")
    assert same_bits(y.numpy(), want) and y.dtype == torch.float32
    st.quantize(t, "binary16", out=t)  # in place
    assert t.data_ptr() == ptr and same_bits(t.numpy(), want)
    d = torch.randn(5, 7, dtype=torch.float64)
    assert same_bits(st.quantize(d, "posit8", "stochastic", seed=3).numpy(),
                     softnum.quantize(d.numpy(), "posit8", "stochastic", seed=3))
    nc = torch.randn(8, 6).t()  # not contiguous: read in its logical (C) order
    assert same_bits(st.quantize(nc, "float8_e5m2").numpy(), softnum.quantize(nc.contiguous().numpy(), "float8_e5m2"))


def test_bfloat16_nearest_equals_torch_cast():
    x = torch.randn(1 << 16) * torch.exp2(torch.randint(-60, 60, (1 << 16,)).float())
    assert torch.equal(st.quantize(x, "bfloat16"), x.to(torch.bfloat16).float())
    assert torch.equal(st.quantize(x, "binary16"), x.to(torch.float16).float())


def test_quantizer_rounds_forward_and_backward_separately():
    x = torch.randn(10, 12, requires_grad=True)
    q = st.Quantizer(forward_number="float8_e4m3fn", backward_number="float8_e5m2",
                     forward_rounding="nearest", backward_rounding="nearest")
    y = q(x)
    assert same_bits(y.detach().numpy(), softnum.quantize(x.detach().numpy(), "float8_e4m3fn"))
    g = torch.randn(10, 12)
    y.backward(g)
    assert same_bits(x.grad.numpy(), softnum.quantize(g.numpy(), "float8_e5m2"))


def test_quantizer_none_passes_through_and_stochastic_varies():
    x = torch.randn(100, requires_grad=True)
    f = st.quantizer(forward_number=None, backward_number="binary16", backward_rounding="stochastic")
    y = f(x)
    assert torch.equal(y, x)
    st.manual_seed(1)
    y.backward(torch.full((100,), 1 + 2.0**-13))
    first = x.grad.clone()
    assert set(first.unique().tolist()) <= {1.0, 1 + 2.0**-10}
    x.grad = None
    st.manual_seed(1)
    f(x).backward(torch.full((100,), 1 + 2.0**-13))
    assert torch.equal(first, x.grad)  # reproducible from the seed


def test_matmul_forward_and_gradients_follow_the_model():
    a = torch.randn(9, 40, requires_grad=True)
    b = torch.randn(40, 7, requires_grad=True)
    y = st.matmul(a, b, accumulator="binary16", backward_accumulator="bfloat16")
    an, bn = a.detach().numpy().astype(np.float64), b.detach().numpy().astype(np.float64)
    ref = _softnum._reference_matmul(an, bn, accumulator="binary16").astype(np.float32)
    assert same_bits(y.detach().numpy(), ref)
    g = torch.randn(9, 7)
    y.backward(g)
    gn = g.numpy().astype(np.float64)
    assert same_bits(a.grad.numpy(), _softnum._reference_matmul(gn, bn.T, accumulator="bfloat16").astype(np.float32))
    assert same_bits(b.grad.numpy(), _softnum._reference_matmul(an.T, gn, accumulator="bfloat16").astype(np.float32))


def test_gradcheck_with_a_float64_accumulator():
    a = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)
    b = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda u, v: st.matmul(u, v, accumulator="float64"), (a, b))


def test_qlinear_matches_linear_and_the_model():
    torch.manual_seed(0)
    lin = st.QLinear(20, 5, accumulator="float64")
    ref = torch.nn.Linear(20, 5)
    ref.load_state_dict(lin.state_dict())
    x = torch.randn(3, 4, 20)
    y = lin(x)
    assert y.shape == (3, 4, 5)
    assert torch.allclose(y, ref(x), atol=1e-5)
    y.sum().backward()
    ref(x).sum().backward()
    assert lin.weight.grad.shape == (5, 20) and torch.allclose(lin.weight.grad, ref.weight.grad, atol=1e-4)
    assert torch.allclose(lin.bias.grad, ref.bias.grad)
    half = st.QLinear(20, 5, bias=False, accumulator="binary16")
    x2 = x.reshape(-1, 20)
    want = _softnum._reference_matmul(x2.numpy().astype(np.float64),
                                      half.weight.detach().numpy().T.astype(np.float64), accumulator="binary16")
    assert same_bits(half(x2).detach().numpy(), want.astype(np.float32))


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1)])
def test_qconv2d_matches_conv2d_and_its_gradients(stride, padding):
    torch.manual_seed(1)
    conv = st.QConv2d(3, 4, 3, stride=stride, padding=padding, accumulator="float64")
    ref = torch.nn.Conv2d(3, 4, 3, stride=stride, padding=padding)
    ref.load_state_dict(conv.state_dict())
    x = torch.randn(2, 3, 9, 8, requires_grad=True)
    x2 = x.detach().clone().requires_grad_()
    y = conv(x)
    assert y.shape == ref(x2).shape
    assert torch.allclose(y, ref(x2), atol=1e-5)
    g = torch.randn_like(y)
    y.backward(g)
    ref(x2).backward(g)
    assert torch.allclose(x.grad, x2.grad, atol=1e-4)
    assert torch.allclose(conv.weight.grad, ref.weight.grad, atol=1e-4)
    assert torch.allclose(conv.bias.grad, ref.bias.grad, atol=1e-4)


def test_qconv2d_rounds_by_the_accumulator():
    torch.manual_seed(2)
    conv = st.QConv2d(2, 3, 3, bias=False, accumulator="float8_e4m3fn")
    x = torch.randn(1, 2, 5, 5)
    cols = torch.nn.functional.unfold(x, 3).transpose(1, 2).reshape(-1, 18)
    want = _softnum._reference_matmul(cols.numpy().astype(np.float64),
                                      conv.weight.detach().reshape(3, -1).numpy().T.astype(np.float64),
                                      accumulator="float8_e4m3fn").astype(np.float32)
    got = conv(x).reshape(3, 9).t().contiguous()
    assert same_bits(got.detach().numpy(), want)


def test_master_weight_optimizer():
    torch.manual_seed(3)
    model = torch.nn.Linear(6, 2)
    opt = st.MasterWeightOptimizer(torch.optim.SGD(model.parameters(), lr=0.1), weight_number="float8_e4m3fn",
                                   master_number="binary16")
    for p in model.parameters():  # the model sees master weights rounded to the weight format
        assert torch.equal(p.data, st.quantize(p.data, "float8_e4m3fn"))
    master_before = [m.clone() for m in opt.master.values()]
    loss = model(torch.randn(4, 6)).pow(2).sum()
    loss.backward()
    grads = [p.grad.clone() for p in model.parameters()]
    opt.step()
    opt.zero_grad()
    for p, m0, g, m in zip(model.parameters(), master_before, grads, opt.master.values()):
        assert torch.equal(m, st.quantize(m0.add(g, alpha=-0.1), "binary16"))  # update rounded into the master format
        assert torch.equal(p.data, st.quantize(m, "float8_e4m3fn"))
        assert p.grad is None


def test_errors():
    with pytest.raises(TypeError, match="dtype torch.float32 or torch.float64, got torch.int64"):
        st.quantize(torch.arange(3), "binary16")
    with pytest.raises(ValueError, match="unknown format 'fp7'; valid formats"):
        st.Quantizer(forward_number="fp7")
    with pytest.raises(ValueError, match=r"must be 2-D, got shapes \(3,\) and \(3, 2\)"):
        st.matmul(torch.zeros(3), torch.zeros(3, 2))
    with pytest.raises(ValueError, match="do not match"):
        st.matmul(torch.zeros(2, 3), torch.zeros(4, 2))
    with pytest.raises(TypeError, match="must be a torch.Tensor"):
        st.quantize(np.zeros(3), "binary16")
