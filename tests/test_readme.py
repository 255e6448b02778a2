"""The README's two commands are the ones the project really runs."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _commands():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(pip install -e [^\n]+)\n```", text)


def test_readme_has_two_set_up_commands():
    assert len(_commands()) == 2


def test_ci_runs_exactly_the_readme_test_command():
    main, tests = _commands()
    assert "conformance run --backend refkeras" in main
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines(), "the test command in README.md and .ci/run differ"
