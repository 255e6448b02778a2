"""The tutorials' code runs, and prints what their comments say."""
import contextlib
import io
import pathlib
import re

import refkeras

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def _python_blocks(page):
    return re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(), re.DOTALL)


def test_layers_and_models_tutorial_runs_and_prints_its_comments(tmp_path, monkeypatch):
    refkeras.backend.clear_session()
    monkeypatch.chdir(tmp_path)
    code = "\n".join(_python_blocks("layers_and_models.md"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "layers_and_models.md", "exec"), {})  # noqa: S102 -- our own docs
    printed = out.getvalue()
    for comment in re.findall(r"print\(.*\)\s+# (.*)", code):
        shown = comment.split(":")[0].split("...")[0].strip()
        assert shown in printed, f"the tutorial says {comment!r}; it printed:\n{printed}"
