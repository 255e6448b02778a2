"""The tutorials' code runs, and prints what their comments say.

The pages run through tests/doc_blocks.py, the runner of the executed guide; these
older tutorials state their output in comments (``print(x)  # 3``) instead of in
```text blocks."""
import pathlib
import re

import pytest

from tests import doc_blocks

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("page", ["layers_and_models.md", "losses_metrics_optimizers.md",
                                  "plots.md"])
def test_tutorial_runs_and_prints_its_comments(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    results = doc_blocks.run_page(str(DOCS / page))
    code = "\n".join(code for code, _, _, _ in results)
    printed = "\n".join(out for _, _, out, _ in results)
    for comment in re.findall(r"print\(.*\)\s+# (.*)", code):
        shown = comment.split(":")[0].split("...")[0].strip()
        assert shown in printed, f"the tutorial says {comment!r}; it printed:\n{printed}"
