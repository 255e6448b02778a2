"""GradientTape: record the ops run on watched values, then differentiate them.

Clauses: TAPE.BASIC, TAPE.ONCE, TAPE.PERSISTENT, TAPE.NESTED, TAPE.ACCESSED,
TAPE.UNCONNECTED, TAPE.UNCONNECTED_ZERO, TAPE.NONSCALAR_TARGET, TAPE.OUTPUT_GRADIENTS,
TAPE.STRUCTURE, TAPE.WATCH_TYPES, TAPE.ARG_TYPES, TAPE.INTEGER_SOURCE,
TAPE.STOP_RECORDING, TAPE.STOP_GRADIENT, TAPE.SNAPSHOT, TAPE.RESET (docs/spec.md).

Who owns what: the tape owns the list of records and the set of watched values;
ops own the decision to offer a record (``record.py``); Variables tell the tape when
they are read; ``backprop.py`` owns the reverse sweep. A record is kept only when
one of its inputs is watched, and then its outputs become watched, so the tape holds
exactly the computation that depends on what it watches.

    with GradientTape() as tape:       # start recording
        tape.watch(x)                  # constants must be watched; trainable
        y = x ** 3                     # variables are watched when read
    tape.gradient(y, x)                # 3 * x**2; a second call raises RuntimeError
                                       # unless persistent=True

>>> from refkeras import ops
>>> x = ops.constant(2.0)
>>> with GradientTape() as tape:
...     tape.watch(x)
...     y = x ** 3
>>> tape.gradient(y, x)
<tf.Tensor: shape=(), dtype=float32, numpy=12.0>
"""
import contextlib
import enum
import logging

from refkeras.autodiff import backprop, tape_stack
from refkeras.framework.array_backed import ArrayBacked
from refkeras.framework.tensor import Tensor
from refkeras.utils import nest

logger = logging.getLogger("refkeras")


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""
    NONE = "none"
    ZERO = "zero"


class GradientTape:
    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed_variables = bool(watch_accessed_variables)
        self._recording = False
        self._used = False
        self._records = []
        self._watched = {}        # id -> Tensor or Variable; holding them keeps ids unique
        self._variables = {}      # id -> Variable, in the order they were first watched

    # -- recording ---------------------------------------------------------------

    def __enter__(self):
        if self._recording:
            raise ValueError("This GradientTape is already recording; a tape cannot be entered twice.")
        tape_stack.push(self)
        self._recording = True
        return self

    def __exit__(self, *exc_info):
        self._stop()
        return False

    def _stop(self):
        tape_stack.remove(self)
        self._recording = False

    def watch(self, tensor):
        """Record ops on ``tensor`` (a Tensor, a Variable, or a nested structure of them)."""
        for value in nest.flatten(tensor):
            if not isinstance(value, ArrayBacked):
                raise ValueError(  # noqa: TRY004 -- tf_keras's type for it
                    f"Passed in object {value!r} of type {type(value).__name__!r}, not tf.Tensor or "
                    "tf.Variable. Convert it first, e.g. tape.watch(tf.constant(x)).")
            if value.dtype.kind != "f":
                logger.warning("The dtype of the watched tensor must be floating (e.g. tf.float32), "
                               "got %s; it will get no gradient.", value.dtype.name)
            self._watch(value)

    def _watch(self, value):
        self._watched[id(value)] = value
        if not isinstance(value, Tensor):   # the other ArrayBacked kind: a Variable
            self._variables.setdefault(id(value), value)

    def _variable_accessed(self, variable):
        if self._recording and self._watch_accessed_variables and variable.trainable:
            self._watch(variable)

    def _record(self, entry):
        if not self._recording:
            return
        watched = self._watched
        for x in entry.inputs:
            if id(x) in watched:
                break
        else:
            return
        self._records.append(entry)
        for o in entry.outputs:
            watched[id(o)] = o

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily run ops without recording them on this tape."""
        if not self._recording:
            raise RuntimeError("GradientTape.stop_recording() needs a tape that is recording "
                               "(use it inside the tape's `with` block).")
        self._recording = False
        try:
            yield
        finally:
            self._recording = True

    def reset(self):
        """Forget everything recorded and watched so far (the tape keeps recording)."""
        self._records = []
        self._watched = {}
        self._variables = {}

    def watched_variables(self):
        return tuple(self._variables.values())

    # -- differentiating ---------------------------------------------------------

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(target)/d(sources), in the structure of ``sources``.

        A non-scalar target (or a list of targets) is differentiated as the sum of its
        elements; ``output_gradients`` weights them instead. Every argument is checked
        before anything is computed, so a bad call leaves the tape usable.
        """
        if self._used:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set "
                               "of gradients (or jacobians); create it with persistent=True to call "
                               "gradient() more than once.")
        unconnected = _unconnected_mode(unconnected_gradients)
        targets = _flat_values(target, "target")
        flat_sources = _flat_values(sources, "sources")
        seeds = _seeds(targets, output_gradients)
        if not self._persistent:
            self._used = True
            self._stop()   # as TensorFlow: ops run after this are not recorded
        grads = backprop.backward(self._records, targets, seeds, flat_sources)
        if unconnected is UnconnectedGradients.ZERO:
            from refkeras import ops
            grads = [ops.zeros_like(s) if g is None else g for s, g in zip(flat_sources, grads)]
        if not self._persistent:   # free the records; watched_variables() still answers
            self._records, self._watched = [], {}
        return nest.pack_sequence_as(sources, grads)


def _unconnected_mode(value):
    if isinstance(value, UnconnectedGradients):
        return value
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}; expected 'none' or "
                         "'zero' (or tf.UnconnectedGradients.NONE / .ZERO).") from None


def _flat_values(structure, argument):
    if structure is None:
        raise TypeError(f"Argument `{argument}` should be a list or nested structure of Tensors or "
                        "Variables to be differentiated, but received None.")
    flat = nest.flatten(structure)
    for value in flat:
        if not isinstance(value, ArrayBacked):
            raise TypeError(f"Argument `{argument}` must hold Tensors or Variables (or a nested "
                            f"structure of them), but it holds {value!r} of type "
                            f"{type(value).__name__}. Convert it with tf.constant(...) and "
                            "tape.watch(...) it before computing with it.")
    return flat


def _seeds(targets, output_gradients):
    """The gradient each target starts with: ones, or the given output_gradients."""
    from refkeras import ops
    if output_gradients is None:
        return [ops.ones_like(t) for t in targets]
    given = nest.flatten(output_gradients) if not isinstance(output_gradients, ArrayBacked) \
        else [output_gradients]
    if len(given) != len(targets):
        raise ValueError(f"output_gradients has {len(given)} entries but there are {len(targets)} "
                         "targets; pass one gradient per target (or None for ones).")
    seeds = []
    for t, g in zip(targets, given):
        if g is None:
            seeds.append(ops.ones_like(t))
            continue
        g = ops.convert_to_tensor(g, dtype_hint=t.dtype)
        if g.shape != t.shape:
            raise ValueError(f"output_gradients entry of shape {tuple(g.shape)} does not match its "
                             f"target's shape {tuple(t.shape)}.")
        seeds.append(g)
    return seeds


__all__ = ["GradientTape", "UnconnectedGradients"]
