"""Plain numpy float64 oracles for the conformance suite.

* ``layers.py``  the forward pass of every built-in layer the suite pins
  (clauses ``LAYER.NUMERIC.*`` of docs/spec.md), one readable function per layer.
* ``losses.py``, ``metrics.py``, ``confusion.py``  every built-in loss and metric
  (``LOSS.*``, ``METRIC.*``), including tf_keras's epsilon clipping and AUC's buckets.
* ``optimizers.py``  one update step of every optimizer (``OPT.*``).
* ``schedules.py``  every learning-rate schedule at any step (``SCHEDULE.*``).

Oracles are written from the documented formulas, never from a backend's code;
the tests compare every backend with them, and take finite differences of them
as the gradient oracle.
"""
