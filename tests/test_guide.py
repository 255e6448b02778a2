"""The guide and the pitfalls page are executed: their code blocks are the tests.

Each page runs top to bottom in a process and a directory of its own
(tests/doc_blocks.py says how a ```text block after a ```python block is compared
with what the block printed)."""
import pathlib
import subprocess
import sys

import pytest

from tests import doc_blocks

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in (DOCS / "guide").glob("*.md") if p.name != "README.md") + [DOCS / "pitfalls.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_prints_what_it_shows(page):
    run = subprocess.run([sys.executable, "-m", "tests.doc_blocks", str(page)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-6000:]


def test_every_guide_page_exists():
    assert (DOCS / "pitfalls.md").exists() and len(list((DOCS / "guide").glob("*.md"))) >= 6


def test_output_check_tolerates_durations_and_last_digits_only():
    assert doc_blocks.same_output("10/10 - 1s 5ms/step - loss: 0.5000", "10/10 - 0s 90us/step - loss: 0.5001")
    assert not doc_blocks.same_output("loss: 0.5000", "loss: 0.5200")
    assert not doc_blocks.same_output("loss: 0.5", "val_loss: 0.5")
    assert not doc_blocks.same_output("a\nb", "a")


def test_terminal_rendering_overwrites_like_the_progress_bar():
    # Keras pads a shorter line with spaces, which a terminal shows as blanks
    text = "Epoch 1/1\n\r1/2 [==>...] - ETA: 0s - loss: 1.5\b\b\b\r2/2 [======] - 0s" + " " * 20 + "\n"
    assert doc_blocks.render_terminal(text) == "Epoch 1/1\n2/2 [======] - 0s\n"
    assert doc_blocks.render_terminal("abc\rx") == "xbc"


def test_blocks_pairs_code_with_the_output_right_after_it():
    page = "```python\nprint(1)\n```\n\n```text\n1\n```\ntext\n```python\nx = 2\n```\n"
    found = doc_blocks.blocks(page)
    assert [(code, shown) for code, shown, _ in found] == [("print(1)\n", "1\n"), ("x = 2\n", None)]
