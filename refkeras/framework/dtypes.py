"""Data types: refkeras uses numpy's dtype objects directly.

Clauses: OPS.DTYPE_INFERENCE (docs/spec.md).

``refkeras.float32`` *is* ``numpy.dtype("float32")``, so ``x.dtype == tf.float32``,
``x.dtype == "float32"`` and ``x.dtype.name`` all work as in TensorFlow. The default
float type of Keras (``keras.backend.floatx()``) is float32; Python floats become
float32 and Python ints int32, while numpy arrays keep their own dtype.

>>> as_dtype("float32") is float32
True
>>> as_dtype(np.float64).name
'float64'
"""
import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool_ = np.dtype("bool")

# TensorFlow's spellings: tf.half, tf.float, tf.double and tf.bool.
_BY_NAME = {
    "float16": float16, "half": float16,
    "float32": float32, "float": float32,
    "float64": float64, "double": float64,
    "int8": int8, "int16": int16, "int32": int32, "int64": int64,
    "uint8": uint8, "bool": bool_,
}
SUPPORTED = frozenset(_BY_NAME.values())


def as_dtype(value):
    """Return the numpy dtype for a dtype, numpy type or name; TypeError otherwise."""
    if isinstance(value, str):
        try:
            return _BY_NAME[value]
        except KeyError:
            raise TypeError(
                f"Cannot convert {value!r} to a dtype. Valid names: {sorted(_BY_NAME)}."
            ) from None
    if value is bool:
        return bool_
    try:
        dt = np.dtype(value)
    except TypeError:
        raise TypeError(
            f"Cannot convert {value!r} to a dtype; pass a name such as 'float32' "
            "or a dtype such as tf.float32."
        ) from None
    if dt not in SUPPORTED:
        raise TypeError(f"dtype {dt.name} is not supported; use one of {sorted(_BY_NAME)}.")
    return dt


def is_floating(dtype):
    return dtype.kind == "f"


def is_integer(dtype):
    return dtype.kind in "iu"


__all__ = [
    "as_dtype",
    "bool_",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_floating",
    "is_integer",
    "uint8",
]
