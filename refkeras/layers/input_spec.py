"""InputSpec: what a layer accepts, checked before it builds or computes.

Clauses: LAYER.BAD_INPUT (docs/spec.md).

A layer sets ``self.input_spec`` (one InputSpec, or a list for several inputs) and
``Layer.__call__`` checks every call against it, symbolic or eager, before any
weight is created or changed. The messages are tf_keras's:

>>> spec = InputSpec(min_ndim=2, axes={-1: 3})
>>> assert_input_compatibility(spec, [(4, 3)], "dense")        # passes silently
>>> assert_input_compatibility(spec, [(3,)], "dense")
Traceback (most recent call last):
ValueError: Input 0 of layer "dense" is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (3,)
"""


class InputSpec:
    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            highest = max(self.axes)
            limit = self.ndim if self.ndim is not None else self.max_ndim
            if highest > limit - 1:
                raise ValueError(f"Axis {highest} is greater than the maximum allowed value: "
                                 f"{limit - 1}")

    def __repr__(self):
        fields = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape),
                                           ("ndim", self.ndim), ("max_ndim", self.max_ndim),
                                           ("min_ndim", self.min_ndim), ("axes", self.axes))
                  if v]
        return f"InputSpec({', '.join(fields)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}


def assert_input_compatibility(input_spec, shapes, layer_name):
    """Raise ValueError unless every input shape satisfies its spec."""
    if input_spec is None:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    if len(shapes) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
                         f"{len(shapes)} input tensors. Inputs received: {shapes}")
    for index, (spec, shape) in enumerate(zip(specs, shapes)):
        if spec is not None:
            _check_one(spec, tuple(shape), index, layer_name)


def _check_one(spec, shape, index, layer_name):
    def prefix(rest):   # formatted only when an error is raised: this runs on every call
        return f'Input {index} of layer "{layer_name}" is incompatible with the layer: {rest}'
    ndim = len(shape)
    if spec.ndim is not None and ndim != spec.ndim and not spec.allow_last_axis_squeeze:
        raise ValueError(prefix(f"expected ndim={spec.ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}"))
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(prefix(f"expected max_ndim={spec.max_ndim}, found ndim={ndim}"))
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(prefix(f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}"))
    for axis, value in spec.axes.items():
        if value is None or not -ndim <= axis < ndim:
            continue
        if shape[axis] not in (value, None):
            raise ValueError(prefix(f"expected axis {axis} of input shape to have value "
                             f"{value}, but received input with shape {_display(shape)}"))
    if spec.shape is not None:
        expected_shape, got_shape = spec.shape, shape
        if spec.allow_last_axis_squeeze:     # (N,) and (N, 1) pass for each other
            expected_shape = _squeezed(expected_shape)
            got_shape = _squeezed(got_shape)
        for expected, got in zip(expected_shape, got_shape):
            if expected is not None and got is not None and expected != got:
                raise ValueError(prefix(
                    f"expected shape={spec.shape}, found shape={_display(shape)}"))


def _squeezed(shape):
    return shape[:-1] if shape and shape[-1] == 1 else shape


def _display(shape):
    return str(tuple(shape))


__all__ = ["InputSpec", "assert_input_compatibility"]
