"""Smoke tests of the measuring harness (``python -m benchmarks``) in its quick mode.

No spec clauses: these pin the harness's outputs (JSON keys, workloads, positive times,
the passes and what is kept of them, the direction of ratios, the plots), never a speed.
CI runs them with ``python -m pytest benchmarks -q --benchmark-disable``; they take
seconds, with or without PyTorch installed.
"""
import importlib.util
import json
import statistics

import pytest

from benchmarks.__main__ import main
from benchmarks.harness import coldstart, report, runner, scaling
from benchmarks.workloads import DEFAULT_WORKLOADS, summarize

HAS_TF_KERAS = importlib.util.find_spec("tf_keras") is not None
MACHINE_KEYS = {"cpu", "cores", "python", "versions", "date"}


def run_quick(tmp_path, *backends, extra=()):
    path = tmp_path / "run.json"
    argv = ["run", "--quick", "--json", str(path), *extra]
    for b in backends:
        argv += ["--backend", b]
    assert main(argv) == 0
    return json.loads(path.read_text())


def check_timed(entry):
    assert entry["unit"] in ("step", "call")
    assert entry["units_per_round"] >= 1
    assert entry["per_unit_s"] > 0
    assert all(t > 0 for t in entry["rounds_s"])


def test_run_quick_refkeras_writes_every_workload(tmp_path, capsys):
    doc = run_quick(tmp_path, "refkeras")
    assert doc["kind"] == "run" and doc["quick"] is True
    assert MACHINE_KEYS <= set(doc["machine"])
    assert doc["backends"] == ["refkeras"]
    assert doc["workloads"] == list(DEFAULT_WORKLOADS)
    result = doc["results"]["refkeras"]
    assert result["name"] == "refkeras" and result["version"]
    assert set(result["workloads"]) == set(DEFAULT_WORKLOADS)
    for entry in result["workloads"].values():
        check_timed(entry)
    torch = doc["results"]["torch"]
    assert torch.get("status") == "not installed" or "workloads" in torch
    table = capsys.readouterr().out
    for name in DEFAULT_WORKLOADS:
        assert name in table


def test_without_torch_the_column_says_not_installed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "torch_installed", lambda: False)
    doc = run_quick(tmp_path, "refkeras", extra=["--workload", "mlp_fit"])
    assert doc["results"]["torch"] == {"name": "torch", "status": "not installed"}
    assert doc["reference"] == {"torch": "not installed"}
    assert "not installed" in capsys.readouterr().out


def test_passes_keep_every_round_and_the_least_median(tmp_path, capsys):
    doc = run_quick(tmp_path, "refkeras",
                    extra=["--workload", "mlp_predict", "--passes", "3", "--rounds", "2", "--no-torch"])
    assert doc["method"]["passes"] == 3 and doc["method"]["rounds_per_pass"] == 2
    entry = doc["results"]["refkeras"]["workloads"]["mlp_predict"]
    check_timed(entry)
    assert [len(p) for p in entry["passes_s"]] == [2, 2, 2]
    assert entry["rounds_s"] == [t for p in entry["passes_s"] for t in p]
    medians = [statistics.median(p) for p in entry["passes_s"]]
    assert entry["pass_medians_s"] == medians and entry["per_unit_s"] == min(medians)
    assert entry["spread_s"] == [min(medians), max(medians)]
    assert report.cell_text(entry) in capsys.readouterr().out


def test_summarize_keeps_the_least_pass_median():
    kept = summarize([[0.3, 0.1, 0.2], [0.05, 0.9, 0.8], [0.4, 0.5, 0.6]])
    assert kept["pass_medians_s"] == [0.2, 0.8, 0.5]
    assert kept["per_unit_s"] == 0.2 and kept["spread_s"] == [0.2, 0.8]
    assert report.cell_text(kept) == "200 (200..800)"


def test_passes_alternate_with_the_order_rotated():
    assert [runner.rotated(["a", "b", "t"], p) for p in range(4)] == [
        ["a", "b", "t"], ["b", "t", "a"], ["t", "a", "b"], ["a", "b", "t"]]


@pytest.mark.parametrize("workload", ["mlp_fit", "cnn_fit"])
def test_torch_loops_train(workload):
    pytest.importorskip("torch")
    from benchmarks.harness.torch_workloads import first_losses
    losses = first_losses(workload, steps=20)
    assert 2.0 < losses[0] < 2.6                         # about ln(10): 10 balanced classes
    assert statistics.mean(losses[-5:]) < statistics.mean(losses[:5]) - 0.2


def test_run_one_named_workload(tmp_path):
    doc = run_quick(tmp_path, "refkeras", extra=["--workload", "mlp_predict", "--no-torch"])
    assert list(doc["results"]) == ["refkeras"]
    assert list(doc["results"]["refkeras"]["workloads"]) == ["mlp_predict"]
    check_timed(doc["results"]["refkeras"]["workloads"]["mlp_predict"])


@pytest.mark.skipif(not HAS_TF_KERAS, reason="tf_keras is not installed (pip install -e '.[tf]')")
def test_run_quick_tf_keras_beside_refkeras(tmp_path, capsys):
    doc = run_quick(tmp_path, "refkeras", "tf_keras", extra=["--no-torch"])
    assert doc["backends"] == ["refkeras", "tf_keras"]
    for backend in doc["backends"]:
        assert set(doc["results"][backend]["workloads"]) == set(DEFAULT_WORKLOADS)
        for entry in doc["results"][backend]["workloads"].values():
            check_timed(entry)
    assert "tf_keras / refkeras = " in capsys.readouterr().out


def test_a_backend_that_cannot_load_is_reported_not_raised(tmp_path, capsys):
    doc = run_quick(tmp_path, "refkeras", "no_such_engine.adapter:ADAPTER",
                    extra=["--workload", "mlp_fit", "--no-torch"])
    failed = doc["results"]["no_such_engine.adapter:ADAPTER"]
    assert "no_such_engine" in failed["error"]
    check_timed(doc["results"]["refkeras"]["workloads"]["mlp_fit"])
    assert "error" in capsys.readouterr().out


def test_ratio_divides_times_by_the_first_backend():
    assert report.ratio_text("tf_keras", "refkeras", 0.0052, 0.001) == "tf_keras / refkeras = 5.20x"
    doc = runner.run_document(["a", "b"], ["mlp_fit"], True, {
        "a": {"workloads": {"mlp_fit": {"unit": "step", "per_unit_s": 0.002}}},
        "b": {"workloads": {"mlp_fit": {"unit": "step", "per_unit_s": 0.010}}}})
    _, rows = report.table_rows(doc)
    assert rows[0][:4] == ["mlp_fit", "ms/step", "2", "10"]
    assert rows[0][-1] == "b / a = 5.00x"


def test_coldstart_refkeras_two_runs(tmp_path):
    doc = coldstart.run_coldstart(["refkeras"], steps=2)
    assert [r["run"] for r in doc["runs"]] == [1, 2]
    for record in doc["runs"]:
        assert record["returncode"] == 0, record["child"]
        assert record["wall_s"] > 0 and record["peak_rss_mib"] > 0
        assert {"import_s", "build_s", "fit_s"} <= set(record["child"])
        assert set(record["numba_cache_changes"]) == {"new", "changed"}
    assert "refkeras" in coldstart.format_table(doc)


def test_scaling_point_and_plots(tmp_path):
    job = {"workload": "mlp_fit_scaling", "params": {"batch": 16, "width": 64}}
    result = runner.run_backend("refkeras", [job], quick=True)
    check_timed(result["workloads"]["mlp_fit_scaling[batch=16,width=64]"])
    doc = {"kind": "scaling", "machine": runner.run_document([], [], True, {})["machine"],
           "quick": True, "backends": ["refkeras"], "results": {"refkeras": result}}
    assert scaling.series(doc, "refkeras", "batch")[0] == [16]
    paths = scaling.plot(doc, tmp_path)
    assert [p.name for p in paths] == ["scaling_batch.png", "scaling_width.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
