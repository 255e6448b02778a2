"""The measuring harness of issue 9: one command, every backend in its own process.

No spec clauses: this package measures, it pins nothing. It owns the processes and
the reports; the workloads (what is measured) live in ``benchmarks/workloads.py`` and
are built only through a conformance adapter, so refkeras, tf_keras, a Keras 3
adapter or a student's engine run the same code. Modules:

* ``worker``: the child process: loads one backend, then builds, warms up and times
  workloads on request (one JSON line in, one out);
* ``runner``: starts one live worker per backend (TensorFlow's threads and imports never
  share a process with refkeras) and makes them take turns, pass by pass, so a slow
  stretch of the machine hits every backend alike; keeps the least pass median;
* ``machine``: the facts of the machine a result came from;
* ``report``: the table of kept times, their spread, and ratios;
* ``coldstart``: a new process per backend: import, build the MLP, fit 20 steps;
* ``scaling``: step time against batch size and hidden width, and the two plots;
* ``torch_workloads``: the bare PyTorch eager loops, a reference column when torch imports.

Run it with ``python -m benchmarks run|coldstart|scaling`` (see ``benchmarks/__main__.py``).
Nothing is imported here, so a worker process pays only for what it uses.
"""

__all__ = []
