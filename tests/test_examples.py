"""examples/: each example runs as a reader would run it (a fresh process) and does what
it says. The end-to-end example must train: chance on ten digits is 10% accuracy."""
import ast
import importlib.util
import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def end_to_end_output():
    if importlib.util.find_spec("sklearn") is None:
        pytest.fail("the example's data set ships with scikit-learn: pip install -e '.[test]'")
    done = subprocess.run([sys.executable, str(EXAMPLES / "end_to_end.py")], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, f"the example failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _line_after(output, prefix):
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, f"expected one line starting {prefix!r} in:\n{output}"
    return lines[0][len(prefix):]


def test_end_to_end_prints_the_guides_workflow(end_to_end_output):
    out = end_to_end_output
    for heading in ["Fit model on training data", "Epoch 1/2", "Epoch 2/2", "Evaluate on test data",
                    "Generate predictions for 3 samples"]:
        assert heading in out.splitlines(), f"{heading!r} missing from:\n{out}"
    # 1,197 training samples at batch 64 are 19 steps; 300 test samples at batch 128 are 3.
    assert re.search(r"19/19 \[=+\] - .* - loss: [\d.]+ - sparse_categorical_accuracy: [\d.]+ - "
                     r"val_loss: [\d.]+ - val_sparse_categorical_accuracy: [\d.]+", out), out
    assert re.search(r"3/3 \[=+\] - .* - loss: [\d.]+ - sparse_categorical_accuracy: [\d.]+", out), out
    assert _line_after(out, "predictions shape: ") == "(3, 10)"


def test_end_to_end_trains_well_above_chance(end_to_end_output):
    history = ast.literal_eval(_line_after(end_to_end_output, "{'loss'").join(["{'loss'", ""]))
    assert sorted(history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                               "val_sparse_categorical_accuracy"]
    assert all(len(values) == 2 for values in history.values())
    assert history["loss"][1] < history["loss"][0]
    assert history["val_sparse_categorical_accuracy"][1] > 0.5
    test_loss, test_accuracy = ast.literal_eval(_line_after(end_to_end_output, "test loss, test acc: "))
    assert test_accuracy > 0.5, f"test accuracy {test_accuracy}: the model did not learn"
    assert test_loss < history["loss"][0]
