"""The ``axis`` argument of the normalization layers: checked at construction, resolved
against the input rank at build (tf_keras's ``validate_axis`` rule)."""


def check_axis_argument(axis):
    if isinstance(axis, (list, tuple)):
        return list(axis)
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    raise TypeError("Expected an int or a list/tuple of ints for the argument 'axis', but "
                    f"received: {axis!r}")


def validate_axis(axis, input_shape):
    """``axis`` as a list of non-negative axes of an input of ``input_shape``."""
    rank = len(input_shape)
    if not rank:
        raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}")
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = [a + rank if a < 0 else a for a in axes]
    if any(a < 0 or a >= rank for a in axes):
        raise ValueError("Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank "
                         f"(with inputs.rank={rank}). Received: axis={tuple(axes)}")
    if len(axes) != len(set(axes)):
        raise ValueError(f"Duplicate axis: {tuple(axes)}")
    for a in axes:
        if input_shape[a] is None:
            raise ValueError(f"Input has undefined `axis` dimension. Received input with shape "
                             f"{tuple(input_shape)} and axis={tuple(axes)}")
    return axes


__all__ = ["check_axis_argument", "validate_axis"]
