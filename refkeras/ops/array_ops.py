"""Shape and indexing ops: reshape, transpose, concat, gather, slicing, where ...

Clauses: OPS.VALUES, OPS.SHAPE_MISMATCH, TAPE.GRADIENT_VALUES (docs/spec.md).

Shape ops move values without changing them, so their gradients move the upstream
gradient back: ``reshape`` reshapes it back, ``transpose`` applies the inverse
permutation, slicing scatters it into zeros of the input's shape. Two ops pair
up as each other's gradient: ``broadcast_to`` (copy along axes) and
``sum_to_shape`` (sum along them), the single place where broadcasting is undone.

>>> import refkeras.ops as ops
>>> ops.reshape(ops.range(6), (2, -1)).shape
TensorShape([2, 3])
"""
import math

import numpy as np

from refkeras import kernels
from refkeras.autodiff.gradient_registry import register_gradient
from refkeras.ops import creation_ops, reduction_ops
from refkeras.ops._core import (
    InvalidArgumentError,
    Tensor,
    binary_operands,
    convert_to_tensor,
    incompatible_shapes,
    normalize_axis,
    record,
    tracing,
)


def _run(op, x, value, attrs, inputs=None, kernel=None, kernel_args=None):
    """Wrap ``value`` as the output of ``op`` and record it (floating values only, or any
    while the compiler traces). ``kernel(*input arrays, **kernel_args)`` recomputes
    ``value``; an op given none cannot be replayed (its step stays eager)."""
    y = Tensor(value)
    if value.dtype.kind == "f" or tracing():
        record(op, inputs if inputs is not None else (x,), (y,), attrs, kernel,
               attrs if kernel_args is None else kernel_args)
    return y


def _shape_tuple(shape, op):
    if isinstance(shape, Tensor):
        shape = shape._value.tolist()
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: a shape must be a list or tuple of ints, got {shape!r}.") from None


# -- broadcasting and its gradient ---------------------------------------------------------

def broadcast_to(x, shape, name=None):
    """``x`` repeated along new or size-1 axes to ``shape``."""
    x = convert_to_tensor(x)
    shape = _shape_tuple(shape, "BroadcastTo")
    try:
        value = np.broadcast_to(x._value, shape)
    except ValueError:
        raise InvalidArgumentError(
            f"Unable to broadcast tensor of shape {list(x.shape)} to tensor of shape {list(shape)}",
            "BroadcastTo") from None
    return _run("BroadcastTo", x, value, {"shape": shape}, kernel=np.broadcast_to)


@register_gradient("BroadcastTo")
def _broadcast_to_grad(op, dy):
    return sum_to_shape(dy, op.inputs[0].shape)


def sum_to_shape(x, shape):
    """Sum ``x`` over the axes broadcasting added or stretched, giving ``shape``.

    >>> sum_to_shape(creation_ops.ones((2, 3)), (1, 3)).numpy()
    array([[2., 2., 2.]], dtype=float32)
    """
    x = convert_to_tensor(x)
    shape = tuple(shape)
    if x._value.shape == shape:
        return x
    return _run("SumToShape", x, kernels.sum_to_shape(x._value, shape), {"shape": shape},
                kernel=kernels.sum_to_shape)


@register_gradient("SumToShape")
def _sum_to_shape_grad(op, dy):
    return broadcast_to(dy, op.inputs[0].shape)


# -- reshaping ------------------------------------------------------------------------------

def reshape(x, shape, name=None):
    """The same values in a new shape; one dimension may be -1 (inferred)."""
    x = convert_to_tensor(x)
    shape = _shape_tuple(shape, "Reshape")
    unknown = [i for i, d in enumerate(shape) if d == -1]
    if len(unknown) > 1:
        raise InvalidArgumentError(
            f"Only one input size may be -1, not both {unknown[0]} and {unknown[1]}", "Reshape")
    known = math.prod(d for d in shape if d != -1)
    size = x._value.size
    if (unknown and (known == 0 or size % known)) or (not unknown and known != size):
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {size} values, but the requested shape "
            f"{list(shape)} cannot hold them", "Reshape")
    return _run("Reshape", x, x._value.reshape(shape), {"shape": shape}, kernel=np.reshape)


@register_gradient("Reshape")
def _reshape_grad(op, dy):
    return reshape(dy, op.inputs[0].shape)


def expand_dims(x, axis, name=None):
    """Insert a size-1 axis at ``axis`` (in [-rank-1, rank])."""
    x = convert_to_tensor(x)
    rank = x._value.ndim
    if not -rank - 1 <= axis <= rank:
        raise InvalidArgumentError(
            f"Tried to expand dim index {axis} for tensor with {rank} dimensions.", "ExpandDims")
    axis = axis % (rank + 1)
    shape = x._value.shape
    return reshape(x, shape[:axis] + (1,) + shape[axis:])


def squeeze(x, axis=None, name=None):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    x = convert_to_tensor(x)
    shape = x._value.shape
    if axis is None:
        axes = {i for i, d in enumerate(shape) if d == 1}
    else:
        axes = {normalize_axis(a, len(shape), "Squeeze") for a in np.atleast_1d(axis).tolist()}
        for a in sorted(axes):
            if shape[a] != 1:
                raise InvalidArgumentError(
                    f"Can not squeeze dim[{a}], expected a dimension of 1, got {shape[a]}", "Squeeze")
    return reshape(x, tuple(d for i, d in enumerate(shape) if i not in axes))


def transpose(x, perm=None, name=None):
    """Permute the axes (reverse them when ``perm`` is None)."""
    x = convert_to_tensor(x)
    rank = x._value.ndim
    perm = tuple(range(rank))[::-1] if perm is None else _shape_tuple(perm, "Transpose")
    if sorted(perm) != list(range(rank)):
        raise InvalidArgumentError(
            f"transpose expects a permutation of {list(range(rank))}, got {list(perm)}", "Transpose")
    return _run("Transpose", x, np.transpose(x._value, perm), {"perm": perm},
                kernel=np.transpose, kernel_args={"axes": perm})


@register_gradient("Transpose")
def _transpose_grad(op, dy):
    return transpose(dy, tuple(int(i) for i in np.argsort(op.attrs["perm"])))


def matrix_transpose(x, name=None):
    """Swap the last two axes."""
    x = convert_to_tensor(x)
    perm = list(range(x._value.ndim))
    perm[-2:] = perm[-1], perm[-2]
    return transpose(x, perm)


# -- joining and splitting -----------------------------------------------------------------

def concat(values, axis, name=None):
    """Join tensors along an existing axis."""
    values = [convert_to_tensor(v) for v in values]
    if not values:
        raise ValueError("concat needs at least one tensor.")
    first = values[0]
    axis = normalize_axis(axis, first._value.ndim, "ConcatV2")
    for i, v in enumerate(values[1:], start=1):
        if v.dtype != first.dtype:
            raise InvalidArgumentError(
                f"ConcatOp: all inputs must have one dtype; input 0 is {first.dtype.name}, "
                f"input {i} is {v.dtype.name}", "ConcatV2")
        a, b = first._value.shape, v._value.shape
        if len(a) != len(b) or any(p != q for d, (p, q) in enumerate(zip(a, b)) if d != axis):
            raise InvalidArgumentError(
                f"ConcatOp : Dimension mismatch: shape[0] = {list(a)} vs. shape[{i}] = {list(b)} "
                f"(every dimension but axis {axis} must agree)", "ConcatV2")
    value = np.concatenate([v._value for v in values], axis=axis)
    return _run("ConcatV2", None, value, {"axis": axis}, inputs=tuple(values),
                kernel=_concat_kernel)


def _concat_kernel(*values, axis):
    return np.concatenate(values, axis=axis)


@register_gradient("ConcatV2")
def _concat_grad(op, dy):
    axis = op.attrs["axis"]
    grads, start = [], 0
    for x in op.inputs:
        size = x._value.shape[axis]
        index = (slice(None),) * axis + (slice(start, start + size),)
        grads.append(strided_slice(dy, index))
        start += size
    return tuple(grads)


def stack(values, axis=0, name=None):
    """Join same-shaped tensors along a new axis."""
    values = [convert_to_tensor(v) for v in values]
    shapes = {tuple(v._value.shape) for v in values}
    if len(shapes) > 1:
        raise InvalidArgumentError(f"Shapes of all inputs must match: {sorted(shapes)}", "Pack")
    return concat([expand_dims(v, axis) for v in values], axis)


def unstack(value, axis=0, name=None):
    """Split along ``axis`` into a list of tensors of one rank less."""
    value = convert_to_tensor(value)
    axis = normalize_axis(axis, value._value.ndim, "Unpack")
    return [strided_slice(value, (slice(None),) * axis + (i,)) for i in range(value._value.shape[axis])]


def tile(x, multiples, name=None):
    """Repeat ``x`` ``multiples[i]`` times along axis i."""
    x = convert_to_tensor(x)
    multiples = _shape_tuple(multiples, "Tile")
    if len(multiples) != x._value.ndim:
        raise InvalidArgumentError(
            f"Expected multiples argument to be a vector of length {x._value.ndim} but got length "
            f"{len(multiples)}", "Tile")
    return _run("Tile", x, np.tile(x._value, multiples), {"multiples": multiples},
                kernel=np.tile, kernel_args={"reps": multiples})


@register_gradient("Tile")
def _tile_grad(op, dy):
    shape = op.inputs[0].shape
    split = [n for m, d in zip(op.attrs["multiples"], shape) for n in (m, d)]
    summed = reduction_ops.reduce_sum(reshape(dy, split), axis=list(range(0, len(split), 2)))
    return reshape(summed, shape)


# -- gathering and slicing -------------------------------------------------------------------

def gather(params, indices, axis=0, batch_dims=0, name=None):
    """``params`` taken at ``indices`` along ``axis``."""
    params = convert_to_tensor(params)
    indices = convert_to_tensor(indices)._value
    if indices.dtype.kind not in "iu":
        raise InvalidArgumentError(f"gather indices must be integers, got {indices.dtype.name}",
                                   "GatherV2")
    if batch_dims:
        raise NotImplementedError("gather(batch_dims != 0) is not implemented in refkeras yet.")
    axis = normalize_axis(axis, params._value.ndim, "GatherV2")
    size = params._value.shape[axis]
    bad = indices[(indices < 0) | (indices >= size)]
    if bad.size:
        raise InvalidArgumentError(f"indices = {int(bad[0])} is not in [0, {size})", "GatherV2")
    value = np.take(params._value, indices, axis=axis)
    return _run("GatherV2", params, value, {"indices": indices, "axis": axis})


@register_gradient("GatherV2")
def _gather_grad(op, dy):
    return _gather_scatter(dy, op.inputs[0].shape, op.attrs)


def _gather_scatter(dy, shape, attrs):
    """The gradient of gather: dy added into zeros of ``shape`` at the gathered places."""
    axis, indices = attrs["axis"], attrs["indices"]
    out = np.zeros(shape, dy._value.dtype)
    moved = np.moveaxis(out, axis, 0)
    dy_moved = np.moveaxis(dy._value, list(range(axis, axis + indices.ndim)),
                           list(range(indices.ndim)))
    np.add.at(moved, indices, dy_moved)
    return _run("GatherGrad", dy, out, {**attrs, "shape": tuple(shape)})


@register_gradient("GatherGrad")
def _gather_grad_grad(op, u):
    return gather(u, op.attrs["indices"], op.attrs["axis"])


def strided_slice(x, key, name=None):
    """``x[key]`` with numpy's basic indexing (ints, slices, None, Ellipsis, bool masks)."""
    x = convert_to_tensor(x)
    key = _normalize_key(key)
    try:
        value = x._value[key]
    except IndexError as e:
        raise InvalidArgumentError(f"slice index out of bounds: {e}", "StridedSlice") from None
    value = np.array(value)   # a view would alias x's buffer; Tensors own their arrays
    static = not any(isinstance(k, np.ndarray) for k in (key if isinstance(key, tuple) else (key,)))
    return _run("StridedSlice", x, value, {"key": key},
                kernel=_strided_slice_kernel if static else None)


def _strided_slice_kernel(x, key):
    return np.array(x[key])


@register_gradient("StridedSlice")
def _strided_slice_grad(op, dy):
    key = op.attrs["key"]
    out = np.zeros(op.inputs[0]._value.shape, dy._value.dtype)
    if any(isinstance(k, np.ndarray) for k in key):
        np.add.at(out, key, dy._value)     # integer arrays may repeat a position
    else:
        out[key] = dy._value               # basic indexing: each position at most once
    return _run("StridedSliceGrad", dy, out, op.attrs)


@register_gradient("StridedSliceGrad")
def _strided_slice_grad_grad(op, u):
    return strided_slice(u, op.attrs["key"])


def _normalize_key(key):
    items = key if isinstance(key, tuple) else (key,)
    out = []
    for item in items:
        if isinstance(item, list):
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                            f"and scalar or boolean tensors are valid indices, got {item!r}; "
                            "use tf.gather(x, indices) to take a list of positions.")
        if hasattr(item, "_value") or isinstance(item, np.ndarray):
            array = np.asarray(item)
            item = int(array) if array.ndim == 0 and array.dtype.kind in "iu" else array
        out.append(item)
    return tuple(out)


def where(condition, x=None, y=None, name=None):
    """Elements of ``x`` where ``condition`` holds, else of ``y``; or, with one
    argument, the coordinates (int64) of the True elements."""
    condition = convert_to_tensor(condition)
    if condition.dtype.kind != "b":
        raise InvalidArgumentError(f"where needs a bool condition, got {condition.dtype.name}",
                                   "SelectV2")
    if x is None and y is None:
        return Tensor(np.argwhere(condition._value).astype(np.int64))
    if x is None or y is None:
        raise ValueError("where takes a condition alone, or a condition with both x and y.")
    x, y = binary_operands(x, y, "SelectV2")
    try:
        value = np.where(condition._value, x._value, y._value)
    except ValueError:
        raise incompatible_shapes(x, y, "SelectV2") from None
    return _run("SelectV2", None, value, {}, inputs=(condition, x, y), kernel=np.where)


@register_gradient("SelectV2")
def _where_grad(op, dy):
    condition, x, y = op.inputs
    zeros = creation_ops.zeros_like(dy)
    return (None,
            sum_to_shape(where(condition, dy, zeros), x.shape),
            sum_to_shape(where(condition, zeros, dy), y.shape))


def boolean_mask(tensor, mask, name=None):
    """The elements of ``tensor`` where the bool ``mask`` is True, flattened over the mask's axes."""
    return strided_slice(tensor, convert_to_tensor(mask)._value)


# -- shape queries ------------------------------------------------------------------------------

def shape(x, out_type=np.int32, name=None):
    """The shape as an int32 Tensor."""
    return Tensor(np.array(convert_to_tensor(x)._value.shape, dtype=out_type))


def size(x, out_type=np.int32, name=None):
    return Tensor(np.array(convert_to_tensor(x)._value.size, dtype=out_type))


def rank(x, name=None):
    return Tensor(np.array(convert_to_tensor(x)._value.ndim, dtype=np.int32))


__all__ = [
    "boolean_mask",
    "broadcast_to",
    "concat",
    "expand_dims",
    "gather",
    "matrix_transpose",
    "rank",
    "reshape",
    "shape",
    "size",
    "squeeze",
    "stack",
    "strided_slice",
    "sum_to_shape",
    "tile",
    "transpose",
    "unstack",
    "where",
]
