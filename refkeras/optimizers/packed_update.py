"""One optimizer update over all variables: the variables packed into one flat buffer.

Clauses: COMPILE.TRACED_STEP, OPT.RULES (docs/spec.md).

Rule. An element-wise update rule (SGD, RMSprop, Adam: each element of a variable
moves using only the same element of its gradient and slots) gives the same numbers
on the concatenation of all variables as on each variable alone. So a replayed
training step packs them: one flat array per role (the variables, each kind of
slot), one flat gradient, one kernel call, and each variable's new value is a view
of the kernel's fresh output::

    flat = concatenate(v.ravel() for v in variables)        # likewise each slot, grads
    new_flat, *new_slots = kernel(flat, flat_grad, *flat_slots, *scalars)
    v.value = new_flat[offset_v : offset_v + v.size].reshape(v.shape)   # for each v

The next step finds every variable still holding the view it was given, so the
packed array is used as it is and nothing is copied but the gradients. Each step's
output is a new array (a value read earlier keeps its numbers, TAPE.SNAPSHOT).
With one kernel call the dispatch cost is paid once, not once per variable.

Who owns what: the optimizer owns its rule (``_update_kernel``, ``_slots_for``,
``_step_scalars``); this class owns the packing. Variables of mixed dtypes are not
packed (``dtype`` is None) and the optimizer updates them one by one.

>>> import numpy as np
>>> from refkeras.framework import Variable
>>> a, b = Variable(np.ones((2, 2), np.float32)), Variable(np.ones(3, np.float32))
>>> packed = PackedUpdate([a, b], [(), ()])
>>> sgd = lambda var, grad, lr: (var - lr * grad,)
>>> packed.run(sgd, [np.ones((2, 2), np.float32), np.ones(3, np.float32)], (np.float32(0.5),))
>>> b.numpy()
array([0.5, 0.5, 0.5], dtype=float32)
"""
import itertools

import numpy as np


class PackedUpdate:
    """The variables (and their slots, role by role) of one dtype as flat buffers."""

    def __init__(self, variables, slots_per_variable):
        variables = list(variables)
        dtypes = {v._value.dtype for v in variables}
        for slots in slots_per_variable:
            dtypes.update(s._value.dtype for s in slots if s is not None)
        self.dtype = dtypes.pop() if len(dtypes) == 1 else None
        # roles[0]: the variables; roles[k]: the k-th slot of every variable (or None).
        self.roles = [variables] + [list(role) for role in zip(*slots_per_variable)]
        self.shapes = [v._value.shape for v in variables]
        bounds = np.cumsum([0] + [v._value.size for v in variables])
        self.slices = [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
        self._given = [None] * len(self.roles)   # per role: (flat array, the views handed out)

    def run(self, kernel, grads, scalars):
        flats = [self._flat(k) for k in range(len(self.roles))]
        flat_grad = np.concatenate([g.reshape(-1) for g in grads])
        outputs = kernel(flats[0], flat_grad, *flats[1:], *scalars)
        for k, output in enumerate(outputs):
            if output is not None and self.roles[k][0] is not None:
                self._hand_out(k, output)

    def _flat(self, k):
        role = self.roles[k]
        if role[0] is None:
            return None
        given = self._given[k]
        if given is not None and all(v._value is view for v, view in zip(role, given[1])):
            return given[0]
        return np.concatenate([v._value.reshape(-1) for v in role])

    def _hand_out(self, k, flat):
        views = [flat[s].reshape(shape) for s, shape in zip(self.slices, self.shapes)]
        for variable, view in zip(self.roles[k], views):
            variable._value = view
        self._given[k] = (flat, views)


__all__ = ["PackedUpdate"]
