"""Convolution (``tf.nn.conv2d``, ``tf.nn.conv1d``) and its two gradient ops.

Clauses: OPS.VALUES, TAPE.GRADIENT_VALUES (docs/spec.md).

Images are NHWC (batch, rows, columns, channels), filters HWIO (rows, columns, in, out).
A filter tap (a, b) reads input cell (i*stride + a*dilation, j*stride + b*dilation) of
the padded image for output pixel (i, j)::

    y[n, i, j, o] = sum(xpad[n, i*sh + a*dh, j*sw + b*dw, c] * w[a, b, c, o]
                        for a, b, c in taps_and_channels)

"VALID" pads nothing; "SAME" pads so that out = ceil(in / stride), splitting the
padding with the odd cell at the end (bottom, right), as TensorFlow does::

    effective = (k - 1) * dilation + 1
    out = ceil(size / stride);  total = max((out - 1) * stride + effective - size, 0)
    pads = (total // 2, total - total // 2)

A list of four [before, after] pairs pads explicitly (batch and channel pairs must be
[0, 0]). ``Conv2D`` is linear in each input, so its gradients are convolutions again:
``Conv2DBackpropInput`` (dx, a transposed convolution) and ``Conv2DBackpropFilter``
(dw, a correlation of x with dy) are ops with gradient rules of their own, made of
the three convolution ops, so any order of derivative works. ``conv1d`` is ``conv2d``
on a one-row image (expand, convolve, squeeze), as in TensorFlow.

>>> import refkeras.ops as ops
>>> x, w = ops.ones((1, 5, 5, 1)), ops.ones((3, 3, 1, 1))
>>> conv2d(x, w, strides=2, padding="SAME").numpy()[0, :, :, 0]
array([[4., 6., 4.],
       [6., 9., 6.],
       [4., 6., 4.]], dtype=float32)

Who owns what: the kernels (``kernels/reference.py``, im2col + BLAS in
``kernels/fast_ops.py``) compute on arrays given explicit pads; this module checks the
arguments, works out the geometry once and records it as the op's attributes.
"""
import math
from typing import NamedTuple

from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import array_ops, reduction_ops
from refkeras.ops._core import (
    InvalidArgumentError,
    Tensor,
    convert_to_tensor,
    emit,
    float_tensor,
    record,
)

PADDINGS = ("SAME", "VALID")


class Geometry(NamedTuple):
    """A sliding window's shape over an image, as the kernels want it (rows, columns)."""
    strides: tuple
    dilations: tuple
    pads: tuple      # (top, bottom, left, right)
    out_hw: tuple


# -- argument checks shared with pooling_ops ------------------------------------------------

def spatial_ints(value, argument, op, spatial=2):
    """An int or a list of 1, ``spatial`` or ``spatial + 2`` ints as ``spatial`` ints.

    The ``spatial + 2`` form (TensorFlow's ``[1, s, s, 1]``) must have 1 for the batch
    and channel axes.
    """
    if isinstance(value, Tensor):
        value = value._value.tolist()
    values = [value] if isinstance(value, int) else list(value)
    if len(values) not in (1, spatial, spatial + 2) or not all(isinstance(v, int) for v in values):
        raise ValueError(f"{argument} should be of length 1, {spatial} or {spatial + 2}. "
                         f"Received: {argument}={value} of length {len(values)}")
    if len(values) == spatial + 2:
        if values[0] != 1 or values[-1] != 1:
            raise InvalidArgumentError(
                f"Current implementation does not yet support {argument} in the batch and depth "
                f"dimensions; got {argument}={value}.", op)
        values = values[1:-1]
    values = values * spatial if len(values) == 1 else values
    if any(v <= 0 for v in values):
        raise InvalidArgumentError(f"{argument} must be > 0, but got {value}.", op)
    return tuple(values)


def check_padding(padding, op):
    """'SAME' or 'VALID' (upper case, as TensorFlow's attr), else InvalidArgumentError."""
    if not isinstance(padding, str) or padding not in PADDINGS:
        raise InvalidArgumentError(
            f'Value for attr \'padding\' of "{padding}" is not in the list of allowed values: '
            '"SAME", "VALID", "EXPLICIT"', op)
    return padding


def axis_padding(size, k, stride, dilation, padding, op):
    """(before, after, out) along one spatial axis."""
    effective = (k - 1) * dilation + 1
    if padding == "SAME":
        out = math.ceil(size / stride)
        total = max((out - 1) * stride + effective - size, 0)
        return total // 2, total - total // 2, out
    before, after = padding if isinstance(padding, tuple) else (0, 0)
    out = (size + before + after - effective) // stride + 1
    if out <= 0 or size + before + after < effective:
        raise InvalidArgumentError(
            f"Computed output size would be negative: {out} [input_size: {size + before + after}, "
            f"effective_filter_size: {effective}, stride: {stride}]", op)
    return before, after, out


def geometry(input_hw, ksize, strides, dilations, padding, op):
    rows = axis_padding(input_hw[0], ksize[0], strides[0], dilations[0], padding[0], op)
    cols = axis_padding(input_hw[1], ksize[1], strides[1], dilations[1], padding[1], op)
    return Geometry(strides, dilations, (rows[0], rows[1], cols[0], cols[1]), (rows[2], cols[2]))


def _conv_padding(padding, op):
    """Per spatial axis: 'SAME', 'VALID', or an explicit (before, after) pair."""
    if isinstance(padding, str):
        padding = check_padding(padding, op)
        return (padding, padding)
    pairs = [tuple(p) for p in padding]
    if len(pairs) != 4 or any(len(p) != 2 for p in pairs):
        raise ValueError("When padding is a list, it must be of size 4. "
                         f"Received: padding={padding} of size {len(pairs)}")
    if pairs[0] != (0, 0) or pairs[3] != (0, 0) or any(v < 0 for p in pairs for v in p):
        raise InvalidArgumentError(
            f"Explicit padding must be non-negative, and [0, 0] for the batch and channel "
            f"dimensions; got padding={padding}.", op)
    return tuple(tuple(int(v) for v in p) for p in pairs[1:3])


def _check_rank(t, argument, op):
    if t._value.ndim != 4:
        raise ValueError(f"{op}: `{argument}` must be a 4-D tensor (NHWC images / HWIO filters), "
                         f"got shape {list(t.shape)}.")


def _check_format(data_format, expected, op):
    if data_format != expected:
        raise InvalidArgumentError(
            f"The {op} op currently only supports the {expected} tensor format on the CPU; "
            f"got data_format={data_format!r}.", op)


# -- conv2d ----------------------------------------------------------------------------------

def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """The 2-D convolution (cross-correlation, as TensorFlow) of NHWC ``input`` with HWIO
    ``filters``."""
    return _conv2d(*_conv2d_arguments(input, filters, strides, padding, data_format, dilations))


def _conv2d_arguments(input, filters, strides, padding, data_format, dilations):
    """The checked (x, w, geometry) of a conv2d call."""
    x, w = float_tensor(input, "Conv2D"), float_tensor(filters, "Conv2D")
    _check_format(data_format, "NHWC", "Conv2D")
    _check_rank(x, "input", "Conv2D")
    _check_rank(w, "filters", "Conv2D")
    if x.dtype != w.dtype:
        raise InvalidArgumentError(
            f"Conv2D: input and filters must have the same dtype, got {x.dtype.name} and "
            f"{w.dtype.name}.", "Conv2D")
    channels, depth = x._value.shape[3], w._value.shape[2]
    if channels != depth:
        raise InvalidArgumentError(
            f"input depth must be evenly divisible by filter depth: {channels} vs {depth}"
            + ("" if depth == 0 or channels % depth else
               " (grouped convolutions are not implemented in refkeras: in depth must equal it)"),
            "Conv2D")
    strides = spatial_ints(strides, "strides", "Conv2D")
    dilations = spatial_ints(1 if dilations is None else dilations, "dilations", "Conv2D")
    geo = geometry(x._value.shape[1:3], w._value.shape[:2], strides, dilations,
                   _conv_padding(padding, "Conv2D"), "Conv2D")
    return x, w, geo


def fused_conv2d(input, filters, bias, strides, padding, dilations=None, activation=None):
    """``activation(conv2d(input, filters) + bias)`` as one op, for a Conv2D layer with a bias
    and a relu (or no) activation: TensorFlow's ``_FusedConv2D``. The conv product, then
    the bias and relu in one pass over it; the same numbers as the three ops::

        z = conv2d(x, w) + bias;  y = relu(z) if activation == "relu" else z
        dz = dy * (y > 0) if activation == "relu" else dy
        dx, dw = the conv2d gradients of dz;  dbias = sum(dz, axis=(0, 1, 2))
    """
    if activation not in (None, "relu"):
        raise ValueError(f"fused_conv2d fuses activation None or 'relu', not {activation!r}.")
    x, w, geo = _conv2d_arguments(input, filters, strides, padding, "NHWC", dilations)
    bias = convert_to_tensor(bias)
    if bias._value.shape != w._value.shape[-1:]:
        raise InvalidArgumentError(
            f"fused_conv2d: bias must have shape ({w._value.shape[-1]},), one value per "
            f"filter; got {list(bias._value.shape)}", "FusedConv2D")
    attrs = dict(geo._asdict(), activation=activation)
    return emit("FusedConv2D", _fused_conv2d_kernel, (x, w, bias),
                dict(_window_args(geo), relu=activation == "relu"), attrs)


def _fused_conv2d_kernel(x, w, bias, strides, pads, dilations, relu):
    z = kernels.conv2d(x, w, strides, pads, dilations)
    return kernels.bias_activation(z.reshape(-1, z.shape[-1]), bias, relu).reshape(z.shape)


@register_gradient("FusedConv2D", skips_inputs=True)
def _fused_conv2d_grad(op, dy):
    from refkeras.ops import nn_ops  # nn_ops imports this module
    x, w, _ = op.inputs
    attrs = dict(op.attrs)
    dz = nn_ops.relu_grad(op.outputs[0], dy) if attrs.pop("activation") == "relu" else dy
    geo = Geometry(**attrs)
    skip = op.skip_input_indices
    dx = None if 0 in skip else _backprop_input(tuple(x.shape), w, dz, geo)
    dw = None if 1 in skip else _backprop_filter(x, tuple(w.shape), dz, geo)
    dbias = None if 2 in skip else reduction_ops.reduce_sum(dz, axis=(0, 1, 2))
    return dx, dw, dbias


def _conv2d(x, w, geo):
    y = Tensor(kernels.conv2d(x._value, w._value, geo.strides, geo.pads, geo.dilations))
    record("Conv2D", (x, w), (y,), geo._asdict(), kernels.conv2d, _window_args(geo))
    return y


def _window_args(geo):
    """The kernels' keyword arguments for a window geometry."""
    return {"strides": geo.strides, "pads": geo.pads, "dilations": geo.dilations}


def _backprop_input_kernel(w, dy, input_shape, strides, pads, dilations):
    return kernels.conv2d_backprop_input(input_shape, w, dy, strides, pads, dilations)


def _backprop_filter_kernel(x, dy, filter_shape, strides, pads, dilations):
    return kernels.conv2d_backprop_filter(x, filter_shape, dy, strides, pads, dilations)


@register_gradient("Conv2D", skips_inputs=True)
def _conv2d_grad(op, dy):
    x, w = op.inputs
    skip = op.skip_input_indices     # the images of a first layer need no gradient
    geo = Geometry(**op.attrs)
    dx = None if 0 in skip else _backprop_input(tuple(x.shape), w, dy, geo)
    dw = None if 1 in skip else _backprop_filter(x, tuple(w.shape), dy, geo)
    return dx, dw


def _backprop_input(input_shape, w, dy, geo):
    dx = Tensor(kernels.conv2d_backprop_input(input_shape, w._value, dy._value, geo.strides,
                                              geo.pads, geo.dilations))
    record("Conv2DBackpropInput", (w, dy), (dx,), geo._asdict(), _backprop_input_kernel,
           dict(_window_args(geo), input_shape=input_shape))
    return dx


@register_gradient("Conv2DBackpropInput")
def _backprop_input_grad(op, u):
    # dx = B(w, dy) is bilinear: d/d dy is conv2d(u, w), d/d w correlates u with dy.
    w, dy = op.inputs
    geo = Geometry(**op.attrs)
    return _backprop_filter(u, tuple(w.shape), dy, geo), _conv2d(u, w, geo)


def _backprop_filter(x, filter_shape, dy, geo):
    dw = Tensor(kernels.conv2d_backprop_filter(x._value, filter_shape, dy._value, geo.strides,
                                               geo.pads, geo.dilations))
    record("Conv2DBackpropFilter", (x, dy), (dw,), geo._asdict(), _backprop_filter_kernel,
           dict(_window_args(geo), filter_shape=filter_shape))
    return dw


@register_gradient("Conv2DBackpropFilter")
def _backprop_filter_grad(op, u):
    x, dy = op.inputs
    geo = Geometry(**op.attrs)
    return _backprop_input(tuple(x.shape), u, dy, geo), _conv2d(x, u, geo)


def _output_geometry(input_shape, filter_shape, out_backprop, strides, padding, dilations, op):
    strides = spatial_ints(strides, "strides", op)
    dilations = spatial_ints(1 if dilations is None else dilations, "dilations", op)
    geo = geometry(input_shape[1:3], filter_shape[:2], strides, dilations,
                   _conv_padding(padding, op), op)
    expected = (input_shape[0],) + geo.out_hw + (filter_shape[3],)
    if tuple(out_backprop.shape) != expected:
        raise InvalidArgumentError(
            f"{op}: out_backprop has shape {list(out_backprop.shape)}, but the convolution of "
            f"an input of shape {list(input_shape)} with filters of shape {list(filter_shape)} "
            f"gives {list(expected)}.", op)
    return geo


def conv2d_backprop_input(input_sizes, filters, out_backprop, strides, padding,
                          data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its input (of shape ``input_sizes``)."""
    w = float_tensor(filters, "Conv2DBackpropInput")
    dy = float_tensor(out_backprop, "Conv2DBackpropInput")
    _check_format(data_format, "NHWC", "Conv2DBackpropInput")
    sizes = tuple(int(s) for s in (input_sizes._value.tolist() if isinstance(input_sizes, Tensor)
                                   else input_sizes))
    geo = _output_geometry(sizes, tuple(w.shape), dy, strides, padding, dilations,
                           "Conv2DBackpropInput")
    return _backprop_input(sizes, w, dy, geo)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,
                           data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its filters (of shape ``filter_sizes``)."""
    x = float_tensor(input, "Conv2DBackpropFilter")
    dy = float_tensor(out_backprop, "Conv2DBackpropFilter")
    _check_format(data_format, "NHWC", "Conv2DBackpropFilter")
    sizes = tuple(int(s) for s in (filter_sizes._value.tolist() if isinstance(filter_sizes, Tensor)
                                   else filter_sizes))
    geo = _output_geometry(tuple(x.shape), sizes, dy, strides, padding, dilations,
                           "Conv2DBackpropFilter")
    return _backprop_filter(x, sizes, dy, geo)


# -- conv1d: conv2d on a one-row image ---------------------------------------------------------

def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """1-D convolution of NWC ``input`` with WIO ``filters``: conv2d on (N, 1, W, C)."""
    _check_format(data_format, "NWC", "Conv1D")
    x, w = float_tensor(input, "Conv1D"), float_tensor(filters, "Conv1D")
    for t, argument in ((x, "input"), (w, "filters")):
        if t._value.ndim != 3:
            raise ValueError(f"Conv1D: `{argument}` must be a 3-D tensor (NWC input / WIO "
                             f"filters), got shape {list(t.shape)}.")
    stride = spatial_ints(stride, "stride", "Conv1D", spatial=1)[0]
    dilation = spatial_ints(1 if dilations is None else dilations, "dilations", "Conv1D",
                            spatial=1)[0]
    if not isinstance(padding, str):   # explicit: [[0, 0], [left, right], [0, 0]]
        pairs = [list(p) for p in padding]
        if len(pairs) != 3:
            raise ValueError("When padding is a list, it must be of size 3 for conv1d. "
                             f"Received: padding={padding} of size {len(pairs)}")
        padding = [pairs[0], [0, 0], pairs[1], pairs[2]]
    y = conv2d(array_ops.expand_dims(x, 1), array_ops.expand_dims(w, 0), (1, stride), padding,
               dilations=(1, dilation))
    return array_ops.squeeze(y, [1])


__all__ = [
    "PADDINGS",
    "Geometry",
    "axis_padding",
    "check_padding",
    "conv1d",
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "geometry",
    "spatial_ints",
]
