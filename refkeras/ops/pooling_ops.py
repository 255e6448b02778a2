"""Pooling (``tf.nn.max_pool2d``, ``avg_pool2d`` and their 1-D forms) and gradient ops.

Clauses: OPS.VALUES, OPS.SUBGRADIENTS, TAPE.GRADIENT_VALUES (docs/spec.md).

NHWC images; a ``ksize`` window slides by ``strides``; "SAME" pads as convolution does
(odd cell at the end, see ``conv_ops``), but padding cells never count::

    max_pool: y = max(real cells of the window)      # padding is -inf
    avg_pool: y = sum(real cells) / count(real cells)

Gradients. ``MaxPoolGrad`` sends each window's dy to its maximum cell; on a tie, to
the first maximum in window order (row by row), which is what TensorFlow does
(measured). It is linear in dy and piecewise constant in x, so its gradient is zero
for x and, for dy, ``MaxPoolGradGrad``: the upstream read back at the same maximum
cells; that op's gradient is ``MaxPoolGrad`` again. ``AvgPool`` is linear:
``AvgPoolGrad`` shares dy / count out over each window, and its gradient is
``AvgPool`` of the upstream. The 1-D forms pool a one-row image.

>>> import refkeras.ops as ops
>>> x = ops.reshape(ops.range(16.0), (1, 4, 4, 1))
>>> max_pool2d(x, 2, 2, "VALID").numpy()[0, :, :, 0]
array([[ 5.,  7.],
       [13., 15.]], dtype=float32)
>>> avg_pool2d(ops.ones((1, 3, 3, 1)), 2, 2, "SAME").numpy()[0, :, :, 0]
array([[1., 1.],
       [1., 1.]], dtype=float32)

Who owns what: the kernels compute on arrays with explicit pads; this module checks
arguments and records the window geometry (``conv_ops.geometry``) as attributes.
"""
from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import array_ops, creation_ops
from refkeras.ops._core import Tensor, float_tensor, record
from refkeras.ops.conv_ops import Geometry, check_padding, geometry, spatial_ints


def _window(x, ksize, strides, padding, data_format, op, rank=4):
    expected = "NHWC" if rank == 4 else "NWC"
    if data_format != expected:
        raise ValueError(f"{op}: only channels-last data ({expected}) is supported, got "
                         f"data_format={data_format!r}.")
    if x._value.ndim != rank:
        raise ValueError(f"{op}: `input` must be a {rank}-D tensor ({expected}), got shape "
                         f"{list(x.shape)}.")
    spatial = rank - 2
    ksize = spatial_ints(ksize, "ksize", op, spatial)
    strides = spatial_ints(strides, "strides", op, spatial)
    padding = check_padding(padding, op)
    return ksize, strides, padding


def _pool(op, kernel, x, ksize, strides, padding):
    geo = geometry(x._value.shape[1:3], ksize, strides, (1, 1), (padding, padding), op)
    y = Tensor(kernel(x._value, ksize, geo.strides, geo.pads))
    attrs = dict(geo._asdict(), ksize=ksize)
    record(op, (x,), (y,), attrs, kernel, _pool_args(attrs))
    return y


def _pool_args(attrs):
    ksize, geo = _geometry(attrs)
    return {"ksize": ksize, "strides": geo.strides, "pads": geo.pads}


def _geometry(attrs):
    return attrs["ksize"], Geometry(**{k: v for k, v in attrs.items() if k != "ksize"})


def _avg_pool_grad_kernel(dy, input_shape, ksize, strides, pads):
    return kernels.avg_pool_grad(input_shape, dy, ksize, strides, pads)


# -- max pooling --------------------------------------------------------------------------------

def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """The maximum of each ``ksize`` window of an NHWC image."""
    x = float_tensor(input, "MaxPool")
    ksize, strides, padding = _window(x, ksize, strides, padding, data_format, "MaxPool")
    return _pool("MaxPool", kernels.max_pool, x, ksize, strides, padding)


@register_gradient("MaxPool")
def _max_pool_grad(op, dy):
    return max_pool_grad(op.inputs[0], dy, op.attrs)


def max_pool_grad(x, dy, attrs):
    """dy of each window, sent to the window's first maximum cell of ``x``."""
    ksize, geo = _geometry(attrs)
    dx = Tensor(kernels.max_pool_grad(x._value, dy._value, ksize, geo.strides, geo.pads))
    record("MaxPoolGrad", (x, dy), (dx,), attrs, kernels.max_pool_grad, _pool_args(attrs))
    return dx


@register_gradient("MaxPoolGrad")
def _max_pool_grad_grad(op, u):
    x, _ = op.inputs
    # The routing is piecewise constant in x: no gradient flows to it (zero, not None,
    # as in TensorFlow, so a watched x always gets a gradient).
    return creation_ops.zeros_like(x), max_pool_grad_grad(x, u, op.attrs)


def max_pool_grad_grad(x, u, attrs):
    """``u`` (shaped like x) read at each window's first maximum cell of ``x``."""
    ksize, geo = _geometry(attrs)
    out = Tensor(kernels.max_pool_grad_grad(x._value, u._value, ksize, geo.strides, geo.pads))
    record("MaxPoolGradGrad", (x, u), (out,), attrs, kernels.max_pool_grad_grad,
           _pool_args(attrs))
    return out


@register_gradient("MaxPoolGradGrad")
def _max_pool_grad_grad_grad(op, v):
    x, _ = op.inputs
    return creation_ops.zeros_like(x), max_pool_grad(x, v, op.attrs)


# -- average pooling ----------------------------------------------------------------------------

def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """The mean of the real (not padding) cells of each ``ksize`` window."""
    x = float_tensor(input, "AvgPool")
    ksize, strides, padding = _window(x, ksize, strides, padding, data_format, "AvgPool")
    return _pool("AvgPool", kernels.avg_pool, x, ksize, strides, padding)


@register_gradient("AvgPool")
def _avg_pool_grad(op, dy):
    return avg_pool_grad(tuple(op.inputs[0].shape), dy, op.attrs)


def avg_pool_grad(input_shape, dy, attrs):
    """Each window's dy / count, shared out over the window's real cells."""
    ksize, geo = _geometry(attrs)
    dx = Tensor(kernels.avg_pool_grad(input_shape, dy._value, ksize, geo.strides, geo.pads))
    record("AvgPoolGrad", (dy,), (dx,), dict(attrs, input_shape=input_shape),
           _avg_pool_grad_kernel, dict(_pool_args(attrs), input_shape=input_shape))
    return dx


@register_gradient("AvgPoolGrad")
def _avg_pool_grad_grad(op, u):
    # AvgPoolGrad is the adjoint of the linear AvgPool, so its adjoint is AvgPool.
    attrs = {k: v for k, v in op.attrs.items() if k != "input_shape"}
    ksize, geo = _geometry(attrs)
    y = Tensor(kernels.avg_pool(u._value, ksize, geo.strides, geo.pads))
    record("AvgPool", (u,), (y,), attrs, kernels.avg_pool, _pool_args(attrs))
    return y


# -- 1-D pooling: a one-row image ----------------------------------------------------------------

def _pool1d(pool2d, op, input, ksize, strides, padding, data_format):
    x = float_tensor(input, op)
    ksize, strides, padding = _window(x, ksize, strides, padding, data_format, op, rank=3)
    y = pool2d(array_ops.expand_dims(x, 1), (1,) + ksize, (1,) + strides, padding)
    return array_ops.squeeze(y, [1])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """max_pool2d over an NWC sequence, seen as a one-row image."""
    return _pool1d(max_pool2d, "MaxPool1D", input, ksize, strides, padding, data_format)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """avg_pool2d over an NWC sequence, seen as a one-row image."""
    return _pool1d(avg_pool2d, "AvgPool1D", input, ksize, strides, padding, data_format)


__all__ = [
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool_grad",
    "max_pool1d",
    "max_pool2d",
    "max_pool_grad",
    "max_pool_grad_grad",
]
