"""The compiler: a step traced once per input signature and replayed as a plan.

Clauses: COMPILE.TRACED_STEP, FUNCTION (docs/spec.md).

This is refkeras's counterpart of ``tf.function``. Three modules, one per stage:

* ``tracer.py``           run the step eagerly, keep every op as a plain record;
* ``plan.py``             records -> a flat list of kernel calls over slots, replayed
                          with no Tensors, tapes or layer calls;
* ``traced_function.py``  one plan per signature, trusted once two traces agree,
                          eager for good when a step cannot be replayed.

``fit``/``evaluate``/``predict`` replay their steps this way unless the model was
compiled with ``run_eagerly=True``, which keeps the readable eager path.
"""
from refkeras.compiler.plan import NotReplayable, Plan, build_plan
from refkeras.compiler.traced_function import TracedFunction
from refkeras.compiler.tracer import Tracer, trace

__all__ = ["NotReplayable", "Plan", "TracedFunction", "Tracer", "build_plan", "trace"]
