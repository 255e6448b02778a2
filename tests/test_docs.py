"""The tutorials' code runs, and prints what their comments say."""
import contextlib
import io
import pathlib
import re

import pytest

import refkeras

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def _python_blocks(page):
    return re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(), re.DOTALL)


@pytest.mark.parametrize("page", ["layers_and_models.md", "losses_metrics_optimizers.md",
                                  "plots.md"])
def test_tutorial_runs_and_prints_its_comments(page, tmp_path, monkeypatch):
    refkeras.backend.clear_session()
    monkeypatch.chdir(tmp_path)
    code = "\n".join(_python_blocks(page))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, page, "exec"), {})  # noqa: S102 -- our own docs
    printed = out.getvalue()
    for comment in re.findall(r"print\(.*\)\s+# (.*)", code):
        shown = comment.split(":")[0].split("...")[0].strip()
        assert shown in printed, f"the tutorial says {comment!r}; it printed:\n{printed}"
