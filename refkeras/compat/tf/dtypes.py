"""``tf.dtypes`` and the dtype names at the top of ``tf``: numpy dtypes."""
import numpy as np

from refkeras.framework.dtypes import (
                                       as_dtype,
                                       float16,
                                       float32,
                                       float64,
                                       int8,
                                       int16,
                                       int32,
                                       int64,
                                       uint8,
)
from refkeras.framework.dtypes import bool_ as bool

half = float16
double = float64
DType = np.dtype

__all__ = [
                                       "DType",
                                       "as_dtype",
                                       "bool",
                                       "double",
                                       "float16",
                                       "float32",
                                       "float64",
                                       "half",
                                       "int8",
                                       "int16",
                                       "int32",
                                       "int64",
                                       "uint8",
]
