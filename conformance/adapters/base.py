"""The adapter interface: what a backend provides to the conformance suite.

An adapter is any object (a module works) with these attributes::

    name          str        "refkeras"; also names expectations/<name>.toml
    version       str        the backend's version, shown in reports
    keras         namespace  the Keras 2 API (Sequential, layers, losses, ...)
    tf            namespace  the TensorFlow ops the Keras guides use (GradientTape,
                             reduce_mean, one_hot, nn.softmax, custom_gradient,
                             random.normal, errors.InvalidArgumentError, ...)
    capabilities  set[str]   which optional features exist (see CAPABILITIES)
    to_numpy(x)   -> numpy.ndarray for any tensor-like value the backend returns
    reset(seed)   clear the session and name counters, seed every random generator
    expectations  optional path of the expectations file (default:
                  conformance/expectations/<name>.toml)

Tests use nothing else. A clause whose test requires a capability the adapter does
not declare reports ``unsupported``: never a pass, never a fail.
"""

CAPABILITIES = {
    "gradient_tape": "a GradientTape in the tf namespace that records eager ops",
    "custom_gradient": "tf.custom_gradient",
    "variables": "tf.Variable with assign/assign_add/assign_sub",
    "tf_ops": "the TensorFlow op names of the seed guides in the tf namespace",
    "add_metric": "Layer.add_metric / Model.add_metric (Keras 2 only)",
    "symbolic_add_loss": "model.add_loss(symbolic_tensor) on functional models",
    "reset_states": "Metric.reset_states (Keras 2 alias of reset_state)",
}

REQUIRED_ATTRIBUTES = ("name", "version", "keras", "tf", "capabilities", "to_numpy", "reset")


def check(adapter):
    """Raise TypeError naming every attribute the adapter lacks."""
    missing = [a for a in REQUIRED_ATTRIBUTES if not hasattr(adapter, a)]
    if missing:
        raise TypeError(f"The adapter {adapter!r} lacks {missing}; see conformance/adapters/base.py "
                        "and docs/backends.md for the interface.")
    unknown = set(adapter.capabilities) - set(CAPABILITIES)
    if unknown:
        raise TypeError(f"The adapter declares unknown capabilities {sorted(unknown)}; known ones: "
                        f"{sorted(CAPABILITIES)}.")
    return adapter


__all__ = ["CAPABILITIES", "REQUIRED_ATTRIBUTES", "check"]
