"""Executed documentation: run a page's ```python blocks and check the output it shows.

A page (docs/guide/*.md, docs/pitfalls.md) is a script cut into blocks. The blocks run
in order in one namespace, with the page's folder of data in a fresh working directory.
A ```python block followed directly (blank lines only) by a ```text block claims that
the text is what the code prints: the check renders the captured stdout as a terminal
shows it (``\\r`` and ``\\b`` overwrite, as Keras's progress bar uses them), then
compares it line by line with the text, where

- durations (``1s``, ``2ms/step``, ``ETA: 0s``) match any duration, and
- numbers match within a relative 2e-3 (absolute 1e-4 near zero), because BLAS on
  another CPU may round the last printed digit the other way.

Everything else must be equal. ``python -m tests.doc_blocks PAGE...`` checks pages,
each in a fresh temporary directory; ``--update`` reruns them and writes what they
print into their text blocks, so the outputs in the docs are always as produced. A
page is a script: it may leave process-wide state behind (a default summary writer, a
session), so tests run each page in a process of its own.

>>> render_terminal("1/2 [=>..] - loss: 4.2\\r2/2 [====] - loss: 4.0\\n")
'2/2 [====] - loss: 4.0\\n'
>>> same_output("2/2 - 1s 2ms/step - loss: 0.12345", "2/2 - 0s 250us/step - loss: 0.12346")
True
"""
import argparse
import contextlib
import io
import pathlib
import re
import sys
import tempfile

BLOCK = re.compile(r"```python\n(.*?)```(\s*\n```text\n(.*?)```)?", re.DOTALL)
DURATION = re.compile(r"\b\d+(?:\.\d+)?(?:ms|us|s|m)(?:/step|/sample)?\b")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def render_terminal(text):
    """What a terminal shows for ``text``: a carriage return or backspace moves the
    cursor back, and later characters overwrite earlier ones."""
    lines = []
    for raw in text.split("\n"):
        shown, cursor = [], 0
        for char in raw:
            if char == "\r":
                cursor = 0
            elif char == "\b":
                cursor = max(cursor - 1, 0)
            else:
                if cursor < len(shown):
                    shown[cursor] = char
                else:
                    shown.append(char)
                cursor += 1
        lines.append("".join(shown).rstrip())
    return "\n".join(lines)


def _numbers_close(a, b):
    x, y = float(a), float(b)
    return abs(x - y) <= max(1e-4, 2e-3 * max(abs(x), abs(y)))


def _same_line(got, want):
    got, want = DURATION.sub("<t>", got), DURATION.sub("<t>", want)
    if NUMBER.sub("<n>", got) != NUMBER.sub("<n>", want):
        return False
    return all(_numbers_close(a, b) for a, b in zip(NUMBER.findall(got), NUMBER.findall(want)))


def same_output(got, want):
    """``got`` (rendered stdout) shows what ``want`` (the page's text block) says."""
    got_lines, want_lines = got.strip("\n").split("\n"), want.strip("\n").split("\n")
    return len(got_lines) == len(want_lines) and all(
        _same_line(g, w) for g, w in zip(got_lines, want_lines))


def blocks(page_text):
    """``[(code, shown_output_or_None, span_of_the_text_block), ...]`` in page order."""
    found = []
    for match in BLOCK.finditer(page_text):
        found.append((match.group(1), match.group(3), match.span(3) if match.group(2) else None))
    return found


def run_page(path):
    """Run every block of the page at ``path`` in one namespace, in the current directory.

    Returns ``[(code, shown, printed, span), ...]`` with ``printed`` rendered as a
    terminal shows it. A block that raises stops the page with the block's line in the
    traceback (the page name is the file name of the compiled code)."""
    import refkeras

    refkeras.backend.clear_session()
    namespace = {"__name__": "__main__"}
    results = []
    for index, (code, shown, span) in enumerate(blocks(pathlib.Path(path).read_text())):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"{path} block {index + 1}", "exec"), namespace)  # noqa: S102 -- our docs
        results.append((code, shown, render_terminal(out.getvalue()).strip("\n"), span))
    return results


def update_page(path):
    """Write what each block prints into the page's text blocks (those that exist)."""
    page = pathlib.Path(path)
    text = page.read_text()
    results = run_page(path)
    for _, _, printed, span in reversed(results):
        if span is not None:
            text = text[:span[0]] + printed + "\n" + text[span[1]:]
    page.write_text(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true",
                        help="write the produced outputs into the pages' text blocks")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args(argv)
    for page in args.pages:
        path = str(pathlib.Path(page).resolve())
        with tempfile.TemporaryDirectory() as work, contextlib.chdir(work):
            failure = update_page(path) if args.update else _check_page(path)
        if failure:
            print(failure)
            return 1
        print(f"{page}: {'updated' if args.update else 'ok'}")
    return 0


def _check_page(path):
    results = run_page(path)
    if all(shown is None for _, shown, _, _ in results):
        return f"{path} shows no output: a tutorial shows what its code prints"
    for _, shown, printed, _ in results:
        if shown is not None and not same_output(printed, shown):
            return (f"{path}: a block shows\n{shown}\nbut printed\n{printed}\n"
                    f"(refresh with: python -m tests.doc_blocks --update {path})")
    return None


if __name__ == "__main__":
    sys.exit(main())
