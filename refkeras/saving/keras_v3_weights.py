"""The Keras 3 weights layout: ``model.weights.h5`` inside ``.keras``, and ``.weights.h5``.

Clauses: SAVING.WEIGHTS.V3, SAVING.MODEL (docs/spec.md).

Rule (tf_keras 2.21 writes the same paths). Weights are found by walking the model's
objects, not by layer names (those change from one process to the next):

    walk(obj, path):
        if obj is a Layer, Optimizer or Metric:  path/vars/0, 1, ... = its own variables
        for each attribute, in reverse alphabetical order:
            a Layer, Optimizer or Metric   -> walk(it, path/<attribute>)
            a list, tuple or dict of them  -> walk(item, path/<attribute>/<snake_case class>[_N])
        an object met before is skipped (the first path wins)

A model's attributes include ``optimizer``, ``metrics`` and ``layers``, so a
Functional model's file holds ``vars`` (its own), ``layers/dense/vars/0``,
``layers/dense_1/vars/0``, ``metrics/mean/vars/0`` and ``optimizer/vars/0``
(iterations, then the slots). A layer's own variables are its trainable then its
non-trainable weights (not its sublayers', which have paths of their own).

Loading walks the same way and reads every array first; any missing path, count or
shape mismatch raises before a variable changes (tf_keras assigns as it goes).

>>> import refkeras as keras
>>> x = keras.Input((3,))
>>> model = keras.Model(x, keras.layers.Dense(2)(x))
>>> [path for path, _ in walk(model)]
['', 'layers/input_layer', 'layers/dense']
"""
import logging
import warnings

import numpy as np

logger = logging.getLogger("refkeras")

# Attributes that hold the same objects as others, or values rather than objects.
_SKIP = frozenset({"weights", "trainable_weights", "non_trainable_weights", "variables",
                   "trainable_variables", "non_trainable_variables", "_trainable_weights",
                   "_non_trainable_weights", "_inbound_nodes", "_outbound_nodes", "submodules"})


def _is_stateful(obj):
    from refkeras.layers.layer import Layer
    from refkeras.optimizers.optimizer import Optimizer
    return isinstance(obj, (Layer, Optimizer))       # metrics are layers here


def own_variables(obj):
    from refkeras.optimizers.optimizer import Optimizer
    if isinstance(obj, Optimizer):
        return list(obj._variables)
    return list(obj._trainable_weights) + list(obj._non_trainable_weights)


def walk(root):
    """(path, object) for every stateful object, in the order tf_keras saves them."""
    found, visited = [], set()
    _visit(root, "", found, visited)
    return found


def _visit(obj, path, found, visited):
    if id(obj) in visited:
        return
    visited.add(id(obj))
    found.append((path, obj))
    for attribute, child in _children(obj):
        child_path = f"{path}/{attribute}" if path else attribute
        if _is_stateful(child):
            _visit(child, child_path, found, visited)
        elif isinstance(child, (list, tuple, dict)):
            _visit_container(child, child_path, found, visited)


def _visit_container(container, path, found, visited):
    from refkeras.layers.layer import to_snake_case
    used = {}
    for item in (container.values() if isinstance(container, dict) else container):
        if not _is_stateful(item) or id(item) in visited:
            continue
        name = to_snake_case(type(item).__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        _visit(item, f"{path}/{name}", found, visited)


def _children(obj):
    """The attributes tf_keras's walk would meet holding objects, reverse-sorted by name."""
    from refkeras.models.model import Model
    attributes = {k: v for k, v in vars(obj).items() if k not in _SKIP}
    if isinstance(obj, Model):
        attributes["layers"] = obj.layers
        attributes["metrics"] = obj.metrics
        if getattr(obj, "optimizer", None) is not None:
            attributes["optimizer"] = obj.optimizer
    elif _is_stateful(obj) and hasattr(obj, "_metric_objects"):
        attributes["metrics"] = list(obj.__dict__.get("_metric_objects", ()))
    return sorted(attributes.items(), key=lambda item: item[0], reverse=True)


# --------------------------------------------------------------------------- files

def save(root, h5_file):
    for path, obj in walk(root):
        group = h5_file.create_group(f"{path}/vars" if path else "vars")
        for i, variable in enumerate(own_variables(obj)):
            group.create_dataset(str(i), data=np.asarray(variable._value))


def read(root, h5_file, skip_mismatch=False):
    """(variable, array) for every variable, all checked. A mismatch raises ValueError, or
    with ``skip_mismatch`` leaves that object's variables out, with a warning."""
    pairs = []
    for path, obj in walk(root):
        try:
            pairs += _read_object(path, obj, h5_file)
        except ValueError as error:
            if not skip_mismatch:
                raise
            warnings.warn(f"Could not load weights in object {obj}. Skipping object. "
                          f"Exception encountered: {error}", stacklevel=2)
    return pairs


def _read_object(path, obj, h5_file):
    key = f"{path}/vars" if path else "vars"
    variables = own_variables(obj)
    if key not in h5_file:
        if variables:
            raise ValueError(f"The file has no weights for {_describe(obj)} (expected at "
                             f"'{key}').")
        return []
    group = h5_file[key]
    if len(group) != len(variables) and _is_optimizer(obj):
        # tf_keras's rule: an optimizer not built yet (or built for other variables) keeps
        # its fresh state, with a warning; it builds its slots at the first step.
        logger.warning("Skipping variable loading for optimizer '%s', because it has %d "
                       "variables whereas the saved optimizer has %d variables. ",
                       obj.name, len(variables), len(group))
        return []
    if len(group) != len(variables):
        raise ValueError(f"{_describe(obj)} expected {len(variables)} variables, but received "
                         f"{len(group)} variables during loading. Expected: "
                         f"{[v.name for v in variables]}")
    pairs = []
    for i, variable in enumerate(variables):
        array = np.asarray(group[str(i)][()])
        if array.shape != tuple(variable.shape):
            raise ValueError(f"Cannot assign value to variable '{variable.name}': Shape "
                             f"mismatch. The variable shape {tuple(variable.shape)}, and the "
                             f"assigned value shape {array.shape} are incompatible.")
        pairs.append((variable, array))
    return pairs


def _is_optimizer(obj):
    from refkeras.optimizers.optimizer import Optimizer
    return isinstance(obj, Optimizer)


def _describe(obj):
    kind = "Optimizer" if not hasattr(obj, "built") else "Layer"
    return f"{kind} '{getattr(obj, 'name', type(obj).__name__)}'"


__all__ = ["own_variables", "read", "save", "walk"]
