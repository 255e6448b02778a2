"""``python -m benchmarks``: run the workloads, the cold start or the scaling sweep.

No spec clauses. Owned by the benchmarks (issue 9). Every backend runs in its own
process, built through its conformance adapter (``refkeras``, ``tf_keras`` or
``package.module:attr``); the backends take turns, pass by pass, so a slow stretch of
the machine hits them alike (see benchmarks/harness/runner.py). The FIRST
``--backend`` is the one every ratio divides by::

    python -m benchmarks run --backend refkeras --backend tf_keras [--quick] [--json PATH]
                             [--workload mlp_fit ...] [--passes 5] [--rounds 3]
    python -m benchmarks coldstart --backend refkeras --backend tf_keras [--json PATH]
    python -m benchmarks scaling --backend refkeras --backend tf_keras --out docs/images

``--quick`` is the smoke mode CI uses: tiny sizes, one pass of one round, seconds in all; its times
mean nothing. The pytest benchmarks (``python -m pytest benchmarks``) are separate.
"""
import argparse
import importlib.util
import json
import sys

from benchmarks.workloads import DEFAULT_WORKLOADS, WORKLOADS


def default_backends():
    tf = importlib.util.find_spec("tf_keras") is not None
    return ["refkeras", "tf_keras"] if tf else ["refkeras"]


def write_json(doc, path):
    if path:
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        print(f"wrote {path}", file=sys.stderr)


def cmd_run(args):
    from benchmarks.harness import report, runner
    doc = runner.run_all(args.backend, args.workload or list(DEFAULT_WORKLOADS), args.quick,
                         args.rounds, with_torch=not args.no_torch, passes=args.passes)
    print(report.format_table(doc, markdown=args.markdown))
    write_json(doc, args.json)
    return 0


def cmd_coldstart(args):
    from benchmarks.harness import coldstart
    doc = coldstart.run_coldstart(args.backend, steps=args.steps)
    print(coldstart.format_table(doc, markdown=args.markdown))
    write_json(doc, args.json)
    return 0


def cmd_scaling(args):
    from benchmarks.harness import scaling
    doc = scaling.run_scaling(args.backend, quick=args.quick)
    print(scaling.format_table(doc))
    paths = scaling.plot(doc, args.out)
    print("plots: " + ", ".join(str(p) for p in paths))
    write_json(doc, args.json)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--backend", action="append",
                        help="refkeras, tf_keras or package.module:attr (repeat; the first is the "
                             "one ratios divide by; default: refkeras and tf_keras if installed)")
    common.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    common.add_argument("--markdown", action="store_true", help="print the table as markdown")

    run = sub.add_parser("run", parents=[common], help="time the workloads side by side")
    run.add_argument("--workload", action="append", choices=sorted(WORKLOADS),
                     help=f"repeat; default: {', '.join(DEFAULT_WORKLOADS)}")
    run.add_argument("--quick", action="store_true", help="smoke mode: tiny sizes, one pass of one round")
    run.add_argument("--passes", type=int,
                     help="passes per backend, alternating between backends (least median kept; "
                          "default 5, quick 1)")
    run.add_argument("--rounds", type=int, help="rounds per pass (median taken; default 3, quick 1)")
    run.add_argument("--no-torch", action="store_true", help="skip the PyTorch reference column")
    run.set_defaults(func=cmd_run)

    cold = sub.add_parser("coldstart", parents=[common],
                          help="new process: import, build the MLP, fit 20 steps")
    cold.add_argument("--steps", type=int, default=20)
    cold.set_defaults(func=cmd_coldstart)

    scale = sub.add_parser("scaling", parents=[common],
                           help="MLP step time against batch size and hidden width, plotted")
    scale.add_argument("--out", default="docs/images", help="folder of the two PNGs")
    scale.add_argument("--quick", action="store_true", help="smoke mode: tiny time budget")
    scale.set_defaults(func=cmd_scaling)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.backend = args.backend or default_backends()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
